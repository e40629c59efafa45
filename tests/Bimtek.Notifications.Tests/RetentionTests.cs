using Bimtek.Data.Persistence;
using Bimtek.Data.Retention;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;
using Dapper;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// Notifications' tables under the shared retention job (Data/NotificationRetention.cs): received events past the key
/// window, finished messages with their attempts and batch items and finished webhook deliveries with their attempts past
/// the record window are pruned; queued messages, pending deliveries and everything younger stay. A sender's event older
/// than the key window is refused, never applied a second time.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RetentionTests
{
    private static readonly Dictionary<string, string?> _smallBatches = new()
    {
        ["Retention:BatchSize"] = "3",
        ["Retention:PauseBetweenBatches"] = "00:00:00",
    };

    [Theory, BothDatabases]
    public async Task Old_received_events_finished_messages_and_webhook_deliveries_are_pruned_and_live_ones_kept(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-retention", configuration: _smallBatches);
        var job = h.Host.Services.GetRequiredService<RetentionJob>();
        Assert.Equal([RetentionMetrics.IdempotencyKeysTable, RetentionMetrics.OutboxMessagesTable, NotificationRetention.ReceivedEventsTable,
            NotificationRetention.MessagesTable, NotificationRetention.WebhookDeliveriesTable], job.Tables);
        var metrics = h.Host.Services.GetRequiredService<RetentionMetrics>();
        await NotificationsHarness.EventuallyAsync(() => Task.FromResult(metrics.LastRun is not null), "the start-up retention run"); // then none for an hour
        var database = h.Host.Services.GetRequiredService<Database>();
        var now = DateTimeOffset.UtcNow;
        await PlantAsync(database, now, old: true);
        await PlantAsync(database, now, old: false);

        var run = await job.PruneOnceAsync(CancellationToken.None);

        Assert.Equal(4, run.PrunedByTable[NotificationRetention.ReceivedEventsTable]);
        Assert.Equal(5, run.PrunedByTable[NotificationRetention.MessagesTable]); // sent, delivered, read, failed, suppressed (not resending)
        Assert.Equal(3, run.PrunedByTable[NotificationRetention.WebhookDeliveriesTable]); // delivered, skipped, dropped
        Assert.Equal(2, await CountAsync(database, "SELECT COUNT(*) FROM received_events WHERE request_id LIKE 'plant-%'"));
        // The young ones (5 finished, 1 queued, 1 unknown, 1 failed being resent) and the old queued, unknown and resending ones.
        Assert.Equal(11, await CountAsync(database, "SELECT COUNT(*) FROM messages WHERE message_id LIKE 'plant-%'"));
        Assert.Equal(["plant-old-message-1", "plant-old-message-7", "plant-old-message-resending"],
            await ListAsync(database, "SELECT message_id FROM messages WHERE message_id LIKE 'plant-old-%' ORDER BY message_id"));
        Assert.Equal(11, await CountAsync(database, "SELECT COUNT(*) FROM delivery_attempts WHERE message_id LIKE 'plant-%'"));
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM delivery_attempts WHERE message_id LIKE 'plant-old-%' AND message_id NOT IN (SELECT message_id FROM messages)"));
        Assert.Equal(1, await CountAsync(database, "SELECT COUNT(*) FROM batch_items WHERE dedupe_key LIKE 'plant-young-%'"));
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM batch_items WHERE dedupe_key LIKE 'plant-old-%'"));
        Assert.Equal(5, await CountAsync(database, "SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id LIKE 'plant-%'"));
        Assert.Equal(1, await CountAsync(database, "SELECT COUNT(*) FROM webhook_deliveries WHERE delivery_id LIKE 'plant-old-%' AND status = 'pending'"));
        Assert.Equal(4, await CountAsync(database, "SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id LIKE 'plant-young-%'"));
        Assert.Equal(1, await CountAsync(database, "SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id LIKE 'plant-old-%'"));

        var again = await job.PruneOnceAsync(CancellationToken.None);
        Assert.Equal(0, again.Total);
    }

    [Theory, BothDatabases]
    public async Task A_senders_event_older_than_the_key_window_is_refused_and_applies_nothing(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-late-event");
        await h.SetContactAsync("t-late", phone: "0812-3456-7890");
        var now = DateTimeOffset.UtcNow;

        // Its received-event row may have been pruned: applying it could tell the trainee twice.
        var late = Kit("t-late", "dispatch-late", Guid.CreateVersion7(now.AddDays(-31)));
        var refused = await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => h.Service.ReceiveEventAsync(late).ResponseAsync);
        Assert.Equal("REQUEST_ID_REUSED", NotificationsHarness.Reason(refused));
        var database = h.Host.Services.GetRequiredService<Database>();
        Assert.Equal(0, await CountAsync(database, $"SELECT COUNT(*) FROM received_events WHERE request_id = '{late.RequestId}'"));
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM messages WHERE dedupe_key LIKE 'kit:dispatch-late%'"));

        // Inside the window the same kind of event applies as ever.
        await h.Service.ReceiveEventAsync(Kit("t-late", "dispatch-in-time", Guid.CreateVersion7(now.AddDays(-29))));
        Assert.Equal(1, await CountAsync(database, "SELECT COUNT(*) FROM messages WHERE dedupe_key LIKE 'kit:dispatch-in-time%'"));
    }

    private static ReceiveEventRequest Kit(string trainee, string dispatchId, Guid requestId) => new()
    {
        RequestId = requestId.ToString(),
        ProgrammeId = "ppe-2020",
        KitDispatched = new KitDispatched { DispatchId = dispatchId, TraineeSubject = trainee, ProductName = "APD" },
    };

    /// <summary>
    /// Old (past the windows) or young rows: 2 received events; a message of each status (queued, sent, delivered, read,
    /// failed, suppressed, unknown) and a failed one being resent (a provider call in flight) with one delivery attempt
    /// each and one batch item on the sent one; a webhook delivery of each status (pending, delivered, skipped, dropped)
    /// with one attempt each.
    /// </summary>
    private static Task PlantAsync(Database database, DateTimeOffset now, bool old) => database.InTransactionAsync(async s =>
    {
        var age = old ? "old" : "young";
        var eventAt = (old ? now.AddDays(-31) : now.AddDays(-29)).ToUnixTimeMilliseconds();
        var recordAt = (old ? now.AddDays(-91) : now.AddDays(-89)).ToUnixTimeMilliseconds();
        for (var i = 0; i < 2; i++)
        {
            await s.ExecuteAsync("INSERT INTO received_events (request_id, event_type, received_at) VALUES (@id, 'KitDispatched', @at)",
                new { id = $"plant-{age}-event-{i}", at = eventAt });
        }
        // Two more old events (so that a batch of 3 is followed by a partial one).
        if (old)
        {
            for (var i = 2; i < 4; i++)
            {
                await s.ExecuteAsync("INSERT INTO received_events (request_id, event_type, received_at) VALUES (@id, 'KitDispatched', @at)",
                    new { id = $"plant-{age}-event-{i}", at = eventAt });
            }
        }
        for (var status = 1; status <= 7; status++)
        {
            var id = $"plant-{age}-message-{status}";
            await s.ExecuteAsync(
                "INSERT INTO messages (message_id, dedupe_key, subject, programme_id, template, language, arguments, text, status, created_at, not_before) " +
                "VALUES (@id, @key, 't-plant', 'ppe-2020', 'kit_dispatched', 1, '{}', 'planted', @status, @at, @at)",
                new { id, key = $"plant-{age}-key-{status}", status, at = recordAt });
            await s.ExecuteAsync("INSERT INTO delivery_attempts (message_id, attempted_at, channel, outcome) VALUES (@id, @at, 1, 'sent')", new { id, at = recordAt });
        }
        var resending = $"plant-{age}-message-resending";
        await s.ExecuteAsync(
            "INSERT INTO messages (message_id, dedupe_key, subject, programme_id, template, language, arguments, text, status, created_at, not_before, " +
            "in_flight_since, in_flight_channel) VALUES (@id, @key, 't-plant', 'ppe-2020', 'kit_dispatched', 1, '{}', 'planted', 5, @at, @at, @inFlight, 1)",
            new { id = resending, key = $"plant-{age}-key-resending", at = recordAt, inFlight = now.ToUnixTimeMilliseconds() });
        await s.ExecuteAsync("INSERT INTO delivery_attempts (message_id, attempted_at, channel, outcome) VALUES (@id, @at, 1, 'in_flight')",
            new { id = resending, at = now.ToUnixTimeMilliseconds() });
        await s.ExecuteAsync("INSERT INTO batch_items (dedupe_key, item_id) VALUES (@key, 'set-1')", new { key = $"plant-{age}-key-2" });
        foreach (var status in new[] { "pending", "delivered", "skipped", "dropped" })
        {
            var id = $"plant-{age}-delivery-{status}";
            await s.ExecuteAsync(
                "INSERT INTO webhook_deliveries (delivery_id, webhook_id, event_id, event_type, programme_id, body, status, created_at) " +
                "VALUES (@id, 'w-plant', @id, 1, 'ppe-2020', '{}', @status, @at)", new { id, status, at = recordAt });
            await s.ExecuteAsync("INSERT INTO webhook_attempts (delivery_id, attempted_at, http_status) VALUES (@id, @at, 200)", new { id, at = recordAt });
        }
    });

    private static async Task<IReadOnlyList<string>> ListAsync(Database database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>(sql)];
    }

    private static async Task<long> CountAsync(Database database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
