using System.Diagnostics.Metrics;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bimtek.Data.Retention;

/// <summary>What one pruning run removed, per table.</summary>
public sealed record RetentionRun(DateTimeOffset FinishedAt, IReadOnlyDictionary<string, long> PrunedByTable, int Batches)
{
    public long IdempotencyKeys => PrunedByTable.GetValueOrDefault(RetentionMetrics.IdempotencyKeysTable);

    public long OutboxMessages => PrunedByTable.GetValueOrDefault(RetentionMetrics.OutboxMessagesTable);

    public long Total => PrunedByTable.Values.Sum();
}

/// <summary>
/// Keeps every service's tables bounded: once per <see cref="RetentionOptions.Interval"/> it runs each
/// <see cref="IRetentionTask"/> (idempotency keys and delivered outbox rows in every service with a database, plus the
/// service's own: notifications' sent messages, identity's tokens…) batch by batch, <see cref="RetentionOptions.BatchSize"/>
/// rows per short transaction (SKIP LOCKED on PostgreSQL where a task can, so several instances of a service share the
/// work without waiting on each other), with <see cref="RetentionOptions.PauseBetweenBatches"/> between two batches.
/// </summary>
public sealed partial class RetentionJob(
    IEnumerable<IRetentionTask> tasks,
    DatabaseReadiness readiness,
    RetentionMetrics metrics,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionJob> logger) : BackgroundService
{
    private readonly RetentionOptions _options = options.Value;
    private readonly IReadOnlyList<IRetentionTask> _tasks = [.. tasks];

    /// <summary>The tables this service prunes, in the order a run takes them.</summary>
    public IReadOnlyList<string> Tables => [.. _tasks.Select(t => t.Table)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await PruneOnceAsync(stoppingToken);
                if (run.Total > 0)
                {
                    LogPruned(logger, string.Join(", ", run.PrunedByTable.Where(t => t.Value > 0).Select(t => $"{t.Value} {t.Key}")), run.Batches);
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

    /// <summary>One run: prunes every table to its window, batch by batch, and records the metrics.</summary>
    public async Task<RetentionRun> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batches = 0;
        var pruned = new Dictionary<string, long>();
        foreach (var task in _tasks)
        {
            long total = 0;
            while (true)
            {
                var deleted = await task.PruneBatchAsync(now, _options.BatchSize, cancellationToken);
                batches++;
                total += deleted;
                metrics.Pruned(task.Table, deleted);
                if (deleted < _options.BatchSize)
                {
                    break;
                }
                await Task.Delay(_options.PauseBetweenBatches, time, cancellationToken);
            }
            pruned[task.Table] = pruned.GetValueOrDefault(task.Table) + total;
        }
        var run = new RetentionRun(time.GetUtcNow(), pruned, batches);
        metrics.Completed(run);
        return run;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention pruned {Pruned} in {Batches} batches")]
    private static partial void LogPruned(ILogger logger, string pruned, int batches);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed; trying again at the next interval")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}

/// <summary>Idempotency keys older than <see cref="RetentionOptions.IdempotencyKeyWindow"/> (every service with a database).</summary>
internal sealed class IdempotencyKeyRetention(Database database, IOptions<RetentionOptions> options) : IRetentionTask
{
    public string Table => RetentionMetrics.IdempotencyKeysTable;

    public Task<int> PruneBatchAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var cutoff = Instants.ToUnixMs(now - options.Value.IdempotencyKeyWindow);
        var skipLocked = database.Dialect.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";
        return database.InTransactionAsync(s => s.ExecuteAsync(
            "DELETE FROM idempotency_keys WHERE request_id IN (SELECT request_id FROM idempotency_keys " +
            "WHERE created_at < @cutoff ORDER BY created_at LIMIT @limit" + skipLocked + ")",
            new { cutoff, limit = batchSize }), cancellationToken);
    }
}

/// <summary>Delivered outbox rows older than <see cref="RetentionOptions.DeliveredOutboxWindow"/>; pending and parked rows never.</summary>
internal sealed class DeliveredOutboxRetention(Database database, IOptions<RetentionOptions> options) : IRetentionTask
{
    public string Table => RetentionMetrics.OutboxMessagesTable;

    public Task<int> PruneBatchAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var cutoff = Instants.ToUnixMs(now - options.Value.DeliveredOutboxWindow);
        var skipLocked = database.Dialect.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";
        return database.InTransactionAsync(s => s.ExecuteAsync(
            "DELETE FROM outbox_messages WHERE id IN (SELECT id FROM outbox_messages " +
            "WHERE status = 'delivered' AND delivered_at < @cutoff ORDER BY delivered_at LIMIT @limit" + skipLocked + ")",
            new { cutoff, limit = batchSize }), cancellationToken);
    }
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
            () => LastRun?.Total ?? 0,
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
