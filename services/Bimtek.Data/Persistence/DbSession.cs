using System.Data.Common;
using Dapper;

namespace Bimtek.Data.Persistence;

/// <summary>
/// One connection of the service's database, inside a write transaction or not: the one way services run SQL, so
/// a store's query is written once and serves both a read RPC (<see cref="Database.ReadAsync{T}"/>, no transaction)
/// and the checks a write makes inside its transaction (<see cref="Database.InTransactionAsync{T}"/>). In a
/// transaction, handlers write their rows, idempotency records and outbox messages through the same session, so
/// all of them commit together or not at all. Sessions come from <see cref="Database"/> only.
/// </summary>
public sealed class DbSession
{
    private readonly List<Action> _afterCommit = [];

    internal DbSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
        CancellationToken = cancellationToken;
    }

    // Internal: a service runs its SQL through the calls below, so no store bypasses the session (SqlBatch uses them).
    internal DbConnection Connection { get; }

    /// <summary>The write transaction; null in a read session.</summary>
    internal DbTransaction? Transaction { get; }

    public SqlDialect Dialect { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Whether this session is a write transaction (else a read on a connection of its own).</summary>
    public bool InTransaction => Transaction is not null;

    /// <summary>
    /// Row-lock suffix for a SELECT a write decides on: <c> FOR UPDATE</c> on PostgreSQL inside a transaction.
    /// Empty outside one (a lock would end with the statement, so the same query reads without it) and on SQLite
    /// (see <see cref="SqlDialect.ForUpdate"/>).
    /// </summary>
    public string ForUpdate => InTransaction ? Dialect.ForUpdate : "";

    public Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        Connection.ExecuteAsync(Command(sql, parameters));

    /// <summary>The rows, read in full (Dapper buffers them), so a list is handed back.</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        (await Connection.QueryAsync<T>(Command(sql, parameters))).AsList();

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null) =>
        Connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public Task<T> QuerySingleAsync<T>(string sql, object? parameters = null) =>
        Connection.QuerySingleAsync<T>(Command(sql, parameters));

    public Task<T?> QueryFirstOrDefaultAsync<T>(string sql, object? parameters = null) =>
        Connection.QueryFirstOrDefaultAsync<T>(Command(sql, parameters));

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? parameters = null) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    /// <summary>Several SELECTs in one round trip; read their results in order (the caller disposes the reader).</summary>
    public Task<SqlMapper.GridReader> QueryMultipleAsync(string sql, object? parameters = null) =>
        Connection.QueryMultipleAsync(Command(sql, parameters));

    /// <summary>
    /// Runs after a successful commit (e.g. waking the outbox relay); never on rollback. Only in a transaction: a
    /// read session has nothing to commit, so an action registered there would be a mistake silently dropped.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (!InTransaction)
        {
            throw new InvalidOperationException("AfterCommit needs a write transaction; this session only reads.");
        }
        _afterCommit.Add(action);
    }

    internal void RunAfterCommit()
    {
        foreach (var action in _afterCommit)
        {
            action();
        }
    }

    private CommandDefinition Command(string sql, object? parameters) =>
        new(sql, parameters, Transaction, cancellationToken: CancellationToken);
}
