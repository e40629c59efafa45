using System.Data.Common;
using Bimtek.Data.Persistence;
using Dapper;

namespace Bimtek.Participants.Data;

/// <summary>
/// One connection, optionally inside a write transaction: lets the same queries serve reads
/// outside a transaction and the checks a write makes inside its own.
/// </summary>
public sealed class Db(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, CancellationToken cancellationToken)
{
    public SqlDialect Dialect { get; } = dialect;

    /// <summary>Row-lock suffix; empty outside a transaction (and on SQLite, which locks the whole database).</summary>
    public string ForUpdate => transaction is null ? "" : Dialect.ForUpdate;

    /// <summary>
    /// Membership in a list parameter (pass an array): <c>= ANY(@p)</c> on PostgreSQL, where Npgsql
    /// sends arrays natively; Dapper's <c>IN @p</c> expansion on SQLite.
    /// </summary>
    public string InList(string parameter) => Dialect.IsPostgres ? $"= ANY(@{parameter})" : $"IN @{parameter}";

    public static Db For(DbSession session) => new(session.Connection, session.Transaction, session.Dialect, session.CancellationToken);

    public Task<int> ExecuteAsync(string sql, object? parameters = null) => connection.ExecuteAsync(Command(sql, parameters));

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        (await connection.QueryAsync<T>(Command(sql, parameters))).AsList();

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? parameters = null) =>
        connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public async Task<long> CountAsync(string sql, object? parameters = null) =>
        await connection.ExecuteScalarAsync<long?>(Command(sql, parameters)) ?? 0;

    private CommandDefinition Command(string sql, object? parameters) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);
}

/// <summary>Opens a <see cref="Db"/> for reads outside a transaction.</summary>
public sealed class DbReader(Database database)
{
    public async Task<T> ReadAsync<T>(Func<Db, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await read(new Db(connection, null, database.Dialect, cancellationToken));
    }
}
