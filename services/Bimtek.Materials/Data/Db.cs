using System.Data.Common;
using Bimtek.Data.Persistence;
using Dapper;

namespace Bimtek.Materials.Data;

/// <summary>
/// Dapper over either an open transaction (writes and the reads they decide on) or a plain
/// connection (read-only RPCs), so one set of queries serves both.
/// </summary>
internal sealed class Db(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
{
    public static Db Of(DbSession session) => new(session.Connection, session.Transaction, session.CancellationToken);

    /// <summary>Runs a read on a connection of its own (no transaction).</summary>
    public static async Task<T> ReadAsync<T>(Database database, Func<Db, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await read(new Db(connection, null, cancellationToken));
    }

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        connection.QueryAsync<T>(Command(sql, parameters));

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? parameters = null) =>
        connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null) =>
        connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    private CommandDefinition Command(string sql, object? parameters) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);
}
