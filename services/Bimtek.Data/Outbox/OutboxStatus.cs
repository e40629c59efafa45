using Bimtek.Data.Persistence;

namespace Bimtek.Data.Outbox;

/// <summary>Counts of pending and parked rows, for health, metrics and tests.</summary>
public sealed class OutboxStatus(Database database)
{
    public sealed record Counts(long Pending, long Parked);

    /// <summary>The last counts read (refreshed by <see cref="ReadAsync"/>; health checks refresh it).</summary>
    public Counts Snapshot { get; private set; } = new(0, 0);

    public async Task<Counts> ReadAsync(CancellationToken cancellationToken = default)
    {
        var counts = await database.ReadAsync(s => s.QuerySingleAsync<Counts>(
            // Each count uses its partial index; delivered rows are never scanned.
            "SELECT (SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending') AS Pending, " +
            "(SELECT COUNT(*) FROM outbox_messages WHERE status = 'parked') AS Parked"), cancellationToken);
        Snapshot = counts;
        return counts;
    }
}
