using System.Data.Common;
using Bimtek.Data.Persistence;
using Dapper;

namespace Bimtek.Distribution.Data;

/// <summary>
/// A connection, and the transaction when inside one: the stores below serve both writes (inside
/// <see cref="Database.InTransactionAsync{T}"/>) and plain reads with the same SQL.
/// </summary>
internal readonly record struct Sql(DbConnection Connection, DbTransaction? Transaction, SqlDialect Dialect, CancellationToken CancellationToken)
{
    public static Sql Of(DbSession session) => new(session.Connection, session.Transaction, session.Dialect, session.CancellationToken);

    public static Sql Of(DbConnection connection, Database database, CancellationToken cancellationToken) =>
        new(connection, null, database.Dialect, cancellationToken);

    /// <summary>" FOR UPDATE" on PostgreSQL inside a transaction; SQLite writers already hold the database lock.</summary>
    public string ForUpdate => Transaction is null ? "" : Dialect.ForUpdate;

    public Task<int> ExecuteAsync(string sql, object? parameters = null) => Connection.ExecuteAsync(Command(sql, parameters));

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null) => Connection.QueryAsync<T>(Command(sql, parameters));

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null) => Connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? parameters = null) => Connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    private CommandDefinition Command(string sql, object? parameters) => new(sql, parameters, Transaction, cancellationToken: CancellationToken);
}

/// <summary>Opens a read connection of the service's database.</summary>
internal static class DatabaseReads
{
    public static async Task<T> ReadAsync<T>(this Database database, Func<Sql, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await read(Sql.Of(connection, database, cancellationToken));
    }
}
