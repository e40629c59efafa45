namespace Bimtek.Data.Persistence;

/// <summary>
/// The few places where SQLite and PostgreSQL differ. Everything else is written once in
/// portable SQL (<c>INSERT … ON CONFLICT</c>, <c>RETURNING</c>, <c>LIMIT</c> work in both).
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite);
    public static readonly SqlDialect Postgres = new(DatabaseProvider.Postgres);

    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public DatabaseProvider Provider { get; }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <summary>
    /// Row lock suffix for a SELECT. Empty on SQLite, where a write transaction already holds the
    /// database lock from its first statement (BEGIN IMMEDIATE). Stores use <see cref="DbSession.ForUpdate"/>,
    /// which is also empty outside a transaction.
    /// </summary>
    public string ForUpdate => IsPostgres ? " FOR UPDATE" : "";

    /// <summary>
    /// Membership in a list parameter (pass an array), e.g. <c>"WHERE office " + InList("offices")</c>:
    /// <c>= ANY(@p)</c> on PostgreSQL, where Npgsql sends the array as one parameter (one statement text whatever
    /// the list's length, so one prepared plan); Dapper's <c>IN @p</c> expansion on SQLite, which has no arrays.
    /// </summary>
    public string InList(string parameter) => IsPostgres ? $"= ANY(@{parameter})" : $"IN @{parameter}";

    /// <summary>Binary column type for DDL written in C#.</summary>
    public string BinaryType => IsPostgres ? "BYTEA" : "BLOB";
}
