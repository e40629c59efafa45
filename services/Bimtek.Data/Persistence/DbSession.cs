using System.Data.Common;
using Dapper;

namespace Bimtek.Data.Persistence;

/// <summary>
/// One open transaction. Handlers write their rows, idempotency records and outbox messages
/// through the same session, so all of them commit together or not at all.
/// </summary>
public sealed class DbSession(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
{
    private readonly List<Action> _afterCommit = [];

    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public SqlDialect Dialect { get; } = dialect;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        Connection.ExecuteAsync(Command(sql, parameters));

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        Connection.QueryAsync<T>(Command(sql, parameters));

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters = null) =>
        Connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters));

    public Task<T> QuerySingleAsync<T>(string sql, object? parameters = null) =>
        Connection.QuerySingleAsync<T>(Command(sql, parameters));

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? parameters = null) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    /// <summary>Runs after a successful commit (e.g. waking the outbox relay); never on rollback.</summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);

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
