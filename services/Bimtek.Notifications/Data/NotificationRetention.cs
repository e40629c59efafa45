using Bimtek.Data.Persistence;
using Bimtek.Data.Retention;
using Bimtek.Notifications.Domain;

namespace Bimtek.Notifications.Data;

/// <summary>
/// Notifications' own tables for the shared retention job (<c>Retention:*</c>, beside its idempotency keys and delivered
/// outbox rows), each deleted in batches in its own short transaction:
/// <list type="bullet">
/// <item><c>received_events</c> older than <see cref="RetentionOptions.IdempotencyKeyWindow"/> (30 days). A sender's late
/// replay of a pruned event is refused, not applied again: every sender's outbox message id is a UUIDv7 and
/// <c>EventIntake</c> refuses one older than the window (REQUEST_ID_REUSED; the sender parks the row for an operator).</item>
/// <item>finished messages — sent, delivered, read, failed, suppressed; never queued, never UNKNOWN (waiting for the
/// provider's report) and never one with a provider call in flight (a failed message being resent) — older than
/// <see cref="RetentionOptions.RecordWindow"/> (90 days), with their delivery attempts and batch items. Their
/// de-duplication keys outlive the received-event keys, so a fact is never notified twice. A failed message past the
/// window can no longer be resent (its send row, if one is parked, then finds nothing to send).</item>
/// <item>finished webhook deliveries (delivered, skipped, dropped; never pending) older than the record window, with
/// their attempts.</item>
/// </list>
/// Contacts, webhooks and the data-protection key ring are kept: they are not history.
/// </summary>
public static class NotificationRetention
{
    public const string ReceivedEventsTable = "received_events";
    public const string MessagesTable = "messages";
    public const string WebhookDeliveriesTable = "webhook_deliveries";

    public static IServiceCollection AddNotificationRetention(this IServiceCollection services) =>
        services
            .AddRetentionTask(ReceivedEventsTable, o => o.IdempotencyKeyWindow, (s, cutoff, limit) => s.ExecuteAsync(
                "DELETE FROM received_events WHERE request_id IN (SELECT request_id FROM received_events " +
                $"WHERE received_at < @cutoff ORDER BY received_at LIMIT @limit{SkipLocked(s)})", new { cutoff, limit }))
            .AddRetentionTask(MessagesTable, o => o.RecordWindow, PruneMessagesAsync)
            .AddRetentionTask(WebhookDeliveriesTable, o => o.RecordWindow, PruneWebhookDeliveriesAsync);

    private static async Task<int> PruneMessagesAsync(DbSession s, long cutoff, int limit)
    {
        var batch = (await s.QueryAsync<(string MessageId, string DedupeKey)>(
            $"SELECT message_id, dedupe_key FROM messages WHERE status <> {(int)MessageStatus.Queued} AND status <> {(int)MessageStatus.Unknown} " +
            "AND in_flight_since IS NULL AND created_at < @cutoff " +
            $"ORDER BY created_at LIMIT @limit{SkipLocked(s)}", new { cutoff, limit })).ToList();
        if (batch.Count == 0)
        {
            return 0;
        }
        var ids = batch.Select(m => m.MessageId).ToArray();
        await s.ExecuteAsync($"DELETE FROM delivery_attempts WHERE message_id {s.Dialect.InList("ids")}", new { ids });
        await s.ExecuteAsync($"DELETE FROM batch_items WHERE dedupe_key {s.Dialect.InList("keys")}", new { keys = batch.Select(m => m.DedupeKey).ToArray() });
        return await s.ExecuteAsync($"DELETE FROM messages WHERE message_id {s.Dialect.InList("ids")}", new { ids });
    }

    private static async Task<int> PruneWebhookDeliveriesAsync(DbSession s, long cutoff, int limit)
    {
        var ids = (await s.QueryAsync<string>(
            $"SELECT delivery_id FROM webhook_deliveries WHERE status <> '{WebhookStore.Pending}' AND created_at < @cutoff " +
            $"ORDER BY created_at LIMIT @limit{SkipLocked(s)}", new { cutoff, limit })).ToArray();
        if (ids.Length == 0)
        {
            return 0;
        }
        await s.ExecuteAsync($"DELETE FROM webhook_attempts WHERE delivery_id {s.Dialect.InList("ids")}", new { ids });
        return await s.ExecuteAsync($"DELETE FROM webhook_deliveries WHERE delivery_id {s.Dialect.InList("ids")}", new { ids });
    }

    private static string SkipLocked(DbSession s) => s.Dialect.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";
}
