using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bimtek.Data.Persistence;

/// <summary>
/// On PostgreSQL, hears the writes other processes of the same service commit (the schema's triggers
/// <c>pg_notify</c> <see cref="Channel"/> in the writing transaction, delivered at its commit) and makes this
/// process's <see cref="DataChanges"/> stale. One connection held open; while it is down the changes are marked
/// incomplete, so no <see cref="ReadCache{TKey, TValue}"/> answers from memory until it is back. A connection the server
/// closes (a restart, a terminated backend) is noticed at once; one that dies silently (a lost network path) is noticed by
/// a ping sent after <see cref="_pingInterval"/> without a notification and allowed <see cref="_pingTimeout"/> to answer.
/// That bounds what an instance may answer from memory after another instance's write to a few seconds in the worst case;
/// otherwise it is the notification's milliseconds.
/// </summary>
public sealed partial class DataChangeListener(Database database, DatabaseReadiness readiness, IOptions<DatabaseOptions> options,
    ILogger<DataChangeListener> logger)
    : BackgroundService
{
    /// <summary>The channel the schema's triggers notify.</summary>
    public const string Channel = "bimtek_data_changed";

    private static readonly TimeSpan _pingInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan _pingTimeout = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Without the listener, DataChanges stays incomplete on PostgreSQL, so no read is answered from memory.
        if (!database.Dialect.IsPostgres || !options.Value.CacheReads)
        {
            return;
        }
        await readiness.WaitAsync(stoppingToken);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await ListenAsync(stoppingToken, () => attempt = 0);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                database.Changes.Incomplete();
                LogLost(logger, ex);
                await Task.Delay(ServiceDefaults.Time.Backoff.Delay(attempt, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 0.5, 1.5),
                    stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken, Action connected)
    {
        await using var connection = (NpgsqlConnection)await database.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, _) => database.Changes.Changed();
        // The ping is the LISTEN again (a no-op for a channel already listened to), so the connection always shows
        // what it is for (pg_stat_activity.query).
        await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection) { CommandTimeout = (int)_pingTimeout.TotalSeconds };
        await listen.ExecuteNonQueryAsync(stoppingToken);
        database.Changes.Completed();
        connected();
        while (true)
        {
            if (!await connection.WaitAsync(_pingInterval, stoppingToken))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that hears other instances' writes; reads are not cached until it is back")]
    private static partial void LogLost(ILogger logger, Exception exception);
}
