using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bimtek.Data.Outbox;

/// <summary>
/// Delivers committed outbox rows to their destinations until each is acknowledged. Rows are
/// claimed with a lease (SKIP LOCKED on PostgreSQL, so several instances share the work), so a
/// relay that dies mid-delivery leaves them to be picked up again once the lease runs out; pending
/// rows left by a stopped host are found by the next host's first scan. Failures back off
/// exponentially with jitter; after <see cref="OutboxOptions.MaxAttempts"/> a row is parked.
/// </summary>
public sealed partial class OutboxRelay(
    Database database,
    DatabaseReadiness readiness,
    IEnumerable<IOutboxDestination> destinations,
    OutboxSignal signal,
    OutboxMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly Dictionary<string, IOutboxDestination> _destinations = destinations.ToDictionary(d => d.Name);
    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = 0;
            try
            {
                delivered = await RelayBatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be down: keep the loop alive and try again on the next poll.
                LogScanFailed(logger, ex);
            }
            if (delivered < _options.BatchSize)
            {
                try
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Claims and delivers one batch of due rows; returns how many were claimed. The rows its destinations acknowledged
    /// are marked delivered together, in one statement (issue 19: one commit per batch instead of one per message).
    /// A crash before that statement leaves them pending under their lease, so they are delivered again: delivery is at
    /// least once and every destination is idempotent on the message id, as it already had to be.
    /// </summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        var batch = await ClaimAsync(cancellationToken);
        var acknowledged = new ConcurrentQueue<OutboxMessage>();
        try
        {
            await Parallel.ForEachAsync(
                batch,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelDeliveries, CancellationToken = cancellationToken },
                async (message, ct) =>
                {
                    if (await DeliverAsync(message, ct))
                    {
                        acknowledged.Enqueue(message);
                    }
                });
        }
        finally
        {
            // Also when shutdown cancelled the rest of the batch: what was acknowledged is not sent again.
            await MarkDeliveredAsync(acknowledged);
        }
        return batch.Count;
    }

    private async Task MarkDeliveredAsync(IReadOnlyCollection<OutboxMessage> acknowledged)
    {
        if (acknowledged.Count == 0)
        {
            return;
        }
        await database.ExecuteAsync(
            "UPDATE outbox_messages SET status = 'delivered', attempts = attempts + 1, delivered_at = @now, last_error = NULL " +
            "WHERE id " + database.Dialect.InList("ids"),
            new { ids = acknowledged.Select(m => m.Id).ToArray(), now = time.NowMs() }, CancellationToken.None);
        foreach (var message in acknowledged)
        {
            metrics.Delivered(message.Destination);
        }
    }

    private async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // One statement, committed on its own (one round trip): the claim is atomic without a transaction around it.
        var rows = await database.QueryAsync<OutboxRow>(
            "UPDATE outbox_messages SET next_attempt_at = @leaseUntil WHERE id IN (" +
            "SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= @now " +
            "ORDER BY next_attempt_at LIMIT @limit" + (database.Dialect.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "") + ") " +
            "RETURNING id AS Id, destination AS Destination, message_type AS MessageType, payload AS Payload, attempts AS Attempts",
            new
            {
                leaseUntil = Instants.ToUnixMs(now + _options.ClaimLease),
                now = Instants.ToUnixMs(now),
                limit = _options.BatchSize,
            }, cancellationToken);
        return rows.Select(r => new OutboxMessage(r.Id, r.Destination, r.MessageType, r.Payload, (int)r.Attempts)).ToList();
    }

    /// <summary>True when the destination acknowledged the message; a failure is recorded here.</summary>
    private async Task<bool> DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            if (!_destinations.TryGetValue(message.Destination, out var destination))
            {
                throw new InvalidOperationException($"No outbox destination named '{message.Destination}' is registered.");
            }
            await destination.DeliverAsync(message, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ReleaseClaimAsync(message);
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(message, ex);
        }
        return false;
    }

    /// <summary>On shutdown, hands an unfinished delivery back at once instead of waiting out its lease.</summary>
    private async Task ReleaseClaimAsync(OutboxMessage message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await database.InTransactionAsync(s => s.ExecuteAsync(
                "UPDATE outbox_messages SET next_attempt_at = @now WHERE id = @id AND status = 'pending'",
                new { id = message.Id, now = time.NowMs() }), timeout.Token);
        }
        catch (Exception ex)
        {
            // Best effort: the lease still expires and the row is delivered then.
            LogScanFailed(logger, ex);
        }
    }

    private async Task RecordFailureAsync(OutboxMessage message, Exception error)
    {
        var attempts = message.Attempts + 1;
        var park = attempts >= _options.MaxAttempts;
        var retryAt = time.GetUtcNow() + Backoff(attempts);
        try
        {
            await database.InTransactionAsync(s => s.ExecuteAsync(
                "UPDATE outbox_messages SET attempts = @attempts, status = @status, next_attempt_at = @retryAt, last_error = @error WHERE id = @id",
                new
                {
                    id = message.Id,
                    attempts,
                    status = park ? "parked" : "pending",
                    retryAt = Instants.ToUnixMs(retryAt),
                    error = Truncate($"{error.GetType().Name}: {error.Message}", 1000),
                }), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The lease still protects the row: it is retried when the lease runs out.
            LogScanFailed(logger, ex);
        }
        if (park)
        {
            metrics.Parked(message.Destination);
            LogParked(logger, message.Id, message.Destination, attempts, error.Message);
        }
        else
        {
            metrics.Failed(message.Destination);
            LogDeliveryFailed(logger, message.Id, message.Destination, attempts, error.Message);
        }
    }

    // Jitter between half and all of the delay keeps many relays from retrying in step.
    private TimeSpan Backoff(int attempts) =>
        ServiceDefaults.Time.Backoff.Delay(attempts, _options.InitialBackoff, _options.MaxBackoff, 0.5, 1.0);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    // Settable properties, not a positional record: Dapper converts INTEGER (PostgreSQL int4, SQLite int8) either way.
    private sealed class OutboxRow
    {
        public string Id { get; set; } = "";
        public string Destination { get; set; } = "";
        public string MessageType { get; set; } = "";
        public byte[] Payload { get; set; } = [];
        public long Attempts { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox scan failed; retrying on the next poll")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} to {Destination} failed (attempt {Attempts}): {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string messageId, string destination, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} to {Destination} parked after {Attempts} attempts: {Error}")]
    private static partial void LogParked(ILogger logger, string messageId, string destination, int attempts, string error);
}

/// <summary>Outbox counters and gauges (meter <c>Bimtek.Outbox</c>).</summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "Bimtek.Outbox";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _parked;

    public OutboxMetrics(IMeterFactory meterFactory, OutboxStatus status)
    {
        var meter = meterFactory.Create(MeterName);
        _delivered = meter.CreateCounter<long>("bimtek.outbox.delivered", description: "Outbox messages acknowledged by their destination");
        _failed = meter.CreateCounter<long>("bimtek.outbox.failed_attempts", description: "Failed delivery attempts that will be retried");
        _parked = meter.CreateCounter<long>("bimtek.outbox.parked", description: "Outbox messages parked after too many attempts");
        meter.CreateObservableGauge("bimtek.outbox.pending_messages", () => status.Snapshot.Pending, description: "Outbox messages not yet delivered");
        meter.CreateObservableGauge("bimtek.outbox.parked_messages", () => status.Snapshot.Parked, description: "Outbox messages parked (need an operator)");
    }

    public void Delivered(string destination) => _delivered.Add(1, new KeyValuePair<string, object?>("destination", destination));
    public void Failed(string destination) => _failed.Add(1, new KeyValuePair<string, object?>("destination", destination));
    public void Parked(string destination) => _parked.Add(1, new KeyValuePair<string, object?>("destination", destination));
}
