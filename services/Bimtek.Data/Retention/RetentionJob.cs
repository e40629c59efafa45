using System.Diagnostics.Metrics;
using System.Globalization;
using Bimtek.Data.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bimtek.Data.Retention;

/// <summary>What one pruning run removed.</summary>
public sealed record RetentionRun(DateTimeOffset FinishedAt, long IdempotencyKeys, long OutboxMessages, int Batches);

/// <summary>
/// Keeps every service's idempotency keys and delivered outbox rows bounded: once per
/// <see cref="RetentionOptions.Interval"/> it deletes rows older than their window in batches of
/// <see cref="RetentionOptions.BatchSize"/>, each batch its own short transaction (SKIP LOCKED on
/// PostgreSQL, so several instances of a service share the work without waiting on each other).
/// </summary>
public sealed partial class RetentionJob(
    Database database,
    DatabaseReadiness readiness,
    RetentionMetrics metrics,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionJob> logger) : BackgroundService
{
    private readonly RetentionOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await PruneOnceAsync(stoppingToken);
                if (run.IdempotencyKeys + run.OutboxMessages > 0)
                {
                    LogPruned(logger, run.IdempotencyKeys, run.OutboxMessages, run.Batches);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be down: the next run tries again; nothing is lost by waiting.
                LogRunFailed(logger, ex);
            }
            try
            {
                await Task.Delay(_options.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One run: prunes both tables to their windows, batch by batch, and records the metrics.</summary>
    public async Task<RetentionRun> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var keyCutoff = now - _options.IdempotencyKeyWindow;
        var outboxCutoff = (now - _options.DeliveredOutboxWindow).ToUnixTimeMilliseconds();
        var skipLocked = database.Dialect.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";
        var batches = 0;

        // created_at is TIMESTAMPTZ on PostgreSQL and ISO-8601 text (sorts as time) on SQLite.
        object keyCutoffValue = database.Dialect.IsPostgres
            ? keyCutoff.UtcDateTime
            : keyCutoff.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var keys = await PruneTableAsync(
            "DELETE FROM idempotency_keys WHERE request_id IN (SELECT request_id FROM idempotency_keys " +
            "WHERE created_at < @cutoff ORDER BY created_at LIMIT @limit" + skipLocked + ")",
            keyCutoffValue, RetentionMetrics.IdempotencyKeysTable, () => batches++, cancellationToken);
        var outbox = await PruneTableAsync(
            "DELETE FROM outbox_messages WHERE id IN (SELECT id FROM outbox_messages " +
            "WHERE status = 'delivered' AND delivered_at < @cutoff ORDER BY delivered_at LIMIT @limit" + skipLocked + ")",
            outboxCutoff, RetentionMetrics.OutboxMessagesTable, () => batches++, cancellationToken);

        var run = new RetentionRun(time.GetUtcNow(), keys, outbox, batches);
        metrics.Completed(run);
        return run;
    }

    private async Task<long> PruneTableAsync(string sql, object cutoff, string table, Action countBatch, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var deleted = await database.InTransactionAsync(
                s => s.ExecuteAsync(sql, new { cutoff, limit = _options.BatchSize }), cancellationToken);
            countBatch();
            total += deleted;
            metrics.Pruned(table, deleted);
            if (deleted < _options.BatchSize)
            {
                return total;
            }
            await Task.Delay(_options.PauseBetweenBatches, time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention pruned {Keys} idempotency keys and {Outbox} delivered outbox rows in {Batches} batches")]
    private static partial void LogPruned(ILogger logger, long keys, long outbox, int batches);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed; trying again at the next interval")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}

/// <summary>Retention counters and gauges (meter <c>Bimtek.Retention</c>).</summary>
public sealed class RetentionMetrics
{
    public const string MeterName = "Bimtek.Retention";
    public const string IdempotencyKeysTable = "idempotency_keys";
    public const string OutboxMessagesTable = "outbox_messages";

    private readonly Counter<long> _pruned;

    public RetentionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _pruned = meter.CreateCounter<long>("bimtek.retention.pruned_rows", description: "Rows deleted by retention, by table");
        meter.CreateObservableGauge(
            "bimtek.retention.last_run_time",
            () => LastRun?.FinishedAt.ToUnixTimeSeconds() ?? 0,
            unit: "s",
            description: "When the last retention run finished (Unix seconds; 0 before the first)");
        meter.CreateObservableGauge(
            "bimtek.retention.last_run_pruned_rows",
            () => (LastRun?.IdempotencyKeys ?? 0) + (LastRun?.OutboxMessages ?? 0),
            description: "Rows the last retention run deleted");
    }

    /// <summary>The last finished run, or null before the first.</summary>
    public RetentionRun? LastRun { get; private set; }

    internal void Pruned(string table, long rows)
    {
        if (rows > 0)
        {
            _pruned.Add(rows, new KeyValuePair<string, object?>("table", table));
        }
    }

    internal void Completed(RetentionRun run) => LastRun = run;
}
