using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bimtek.Data.Persistence;

/// <summary>
/// A service's own database: opens connections and runs write transactions with the retry rules
/// both engines need. PostgreSQL transactions that lose a serialization race or a deadlock are
/// retried whole; SQLite writers are queued in-process and start with BEGIN IMMEDIATE, so no
/// transaction ever upgrades a read lock (the classic SQLite deadlock).
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqliteConnectionString;
    private readonly SemaphoreSlim _sqliteWriteGate = new(1, 1);
    private readonly int _maxAttempts;

    private Database(NpgsqlDataSource? postgres, string? sqliteConnectionString, int maxAttempts)
    {
        _postgres = postgres;
        _sqliteConnectionString = sqliteConnectionString;
        _maxAttempts = maxAttempts;
        Dialect = postgres is null ? SqlDialect.Sqlite : SqlDialect.Postgres;
        // One process owns an SQLite file; on PostgreSQL other instances' writes are heard only by a DataChangeListener.
        Changes = new DataChanges(complete: postgres is null);
    }

    public SqlDialect Dialect { get; }

    /// <summary>Grows after every write committed here (see <see cref="DataChanges"/>): what read caches are checked against.</summary>
    public DataChanges Changes { get; }

    public DatabaseProvider Provider => Dialect.Provider;

    /// <summary>Where the data lives, without secrets (for logs and health output).</summary>
    public string Description { get; private init; } = "";

    public static Database ForPostgres(string connectionString, int maxAttempts = 8)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Tuned(connectionString));
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        return new Database(dataSource, null, maxAttempts)
        {
            Description = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}",
        };
    }

    public static Database ForSqlite(string filePath, int maxAttempts = 8)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(filePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Pooling = true,
            DefaultTimeout = 30,
            ForeignKeys = true,
        }.ToString();
        return new Database(null, connectionString, maxAttempts) { Description = $"sqlite:{Path.GetFullPath(filePath)}" };
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a connection of its own, outside a transaction: the session's
    /// <see cref="DbSession.ForUpdate"/> is empty, so the stores' queries that a write runs under lock read here
    /// without one. Not retried: outside a transaction there is no serialization failure to retry.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await read(new DbSession(connection, null, Dialect, cancellationToken));
    }

    /// <summary>A raw connection (the caller disposes it), for work a <see cref="DbSession"/> does not cover (the migrator's session lock, tests).</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }
        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // WAL lets readers run beside the one writer; NORMAL is durable across process crashes in WAL mode.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it. The whole delegate is run
    /// again when PostgreSQL aborts it for a serialization failure (40001) or deadlock (40P01),
    /// so it must not have effects outside the session.
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken = default) =>
        WriteTransactionAsync(work, _ => true, cancellationToken);

    /// <summary>A transaction whose result says whether it wrote anything (see <see cref="Changes"/>).</summary>
    private async Task<T> WriteTransactionAsync<T>(Func<DbSession, Task<T>> work, Func<T, bool> wroteAnything, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(work, wroteAnything, cancellationToken);
            }
            catch (Exception ex) when (attempt < _maxAttempts && IsRetryable(ex))
            {
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
        }
    }

    public Task InTransactionAsync(Func<DbSession, Task> work, CancellationToken cancellationToken = default) =>
        InTransactionAsync<bool>(async session =>
        {
            await work(session);
            return true;
        }, cancellationToken);

    private async Task<T> RunOnceAsync<T>(Func<DbSession, Task<T>> work, Func<T, bool> wroteAnything, CancellationToken cancellationToken)
    {
        var gated = _postgres is null;
        if (gated)
        {
            await _sqliteWriteGate.WaitAsync(cancellationToken);
        }
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            // Microsoft.Data.Sqlite begins a non-deferred (IMMEDIATE) transaction by default.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var session = new DbSession(connection, transaction, Dialect, cancellationToken);
            var result = await work(session);
            await transaction.CommitAsync(cancellationToken);
            if (wroteAnything(result))
            {
                Changes.Changed();
            }
            session.RunAfterCommit();
            return result;
        }
        finally
        {
            if (gated)
            {
                _sqliteWriteGate.Release();
            }
        }
    }

    /// <summary>
    /// Runs ONE statement committed on its own: on PostgreSQL without an explicit transaction (the
    /// statement is its own transaction, so there is no BEGIN and no COMMIT round trip: one round trip
    /// instead of two or three); on SQLite through the same writer queue as <see cref="InTransactionAsync{T}"/>.
    /// Retried whole like a transaction. Returns the rows changed.
    /// </summary>
    public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken = default) =>
        _postgres is null
            ? WriteTransactionAsync(s => s.ExecuteAsync(sql, parameters), changed => changed > 0, cancellationToken)
            : WithRetriesAsync(async () =>
            {
                await using var connection = await _postgres.OpenConnectionAsync(cancellationToken);
                var changed = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
                if (changed > 0)
                {
                    Changes.Changed();
                }
                return changed;
            }, cancellationToken);

    /// <summary>Like <see cref="ExecuteAsync(string, object?, CancellationToken)"/> for one statement that returns rows (<c>… RETURNING …</c>).</summary>
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken cancellationToken = default) =>
        _postgres is null
            ? WriteTransactionAsync(async s => (IReadOnlyList<T>)(await s.QueryAsync<T>(sql, parameters)).AsList(), rows => rows.Count > 0, cancellationToken)
            : WithRetriesAsync(async () =>
            {
                await using var connection = await _postgres.OpenConnectionAsync(cancellationToken);
                var rows = (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
                if (rows.Count > 0)
                {
                    Changes.Changed();
                }
                return (IReadOnlyList<T>)rows;
            }, cancellationToken);

    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (Exception ex) when (attempt < _maxAttempts && IsRetryable(ex))
            {
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
        }
    }

    public static bool IsRetryable(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        _ => false,
    };

    // 10 ms, 20 ms, … up to 500 ms, each between half and one and a half times that.
    private static TimeSpan Backoff(int attempt) =>
        ServiceDefaults.Time.Backoff.Delay(attempt + 1, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500), 0.5, 1.5);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        _sqliteWriteGate.Dispose();
    }
}
