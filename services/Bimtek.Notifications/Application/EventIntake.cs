using System.Text.Json;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Application;

/// <summary>
/// Applies one event, once: the received-event row (keyed by the sender's outbox message id) is inserted first in
/// the same transaction as the messages it plans, so a redelivery — also a concurrent one — changes nothing. Each
/// new message gets an outbox row of this service that sends it when it is due (quiet hours, batch window), so a
/// crash between commit and send loses nothing. A fact queued before (same de-duplication key) is not queued again;
/// a batched message only counts the new item.
/// </summary>
public sealed class EventIntake(Database database, OutboxWriter outbox, Webhooks webhooks, IOptions<NotificationsOptions> options, TimeProvider time,
    IdempotentExecutor replayWindow)
{
    public const string SendDestination = "notifications.send";

    public async Task<(bool Duplicate, int Queued)> ApplyAsync(string requestId, string eventType, NotificationEvent notificationEvent,
        string programmeId, TimeZoneInfo zone, CancellationToken cancellationToken, DateTimeOffset? occurredAt = null)
    {
        var settings = options.Value;
        var quiet = new QuietHours(settings.QuietFrom, settings.QuietUntil);
        return await database.InTransactionAsync(async session =>
        {
            var now = time.GetUtcNow();
            var inserted = await session.ExecuteAsync(
                "INSERT INTO received_events (request_id, event_type, received_at) VALUES (@requestId, @eventType, @now) ON CONFLICT (request_id) DO NOTHING",
                new { requestId, eventType, now = Instants.ToUnixMs(now) });
            if (inserted == 0)
            {
                return (true, 0);
            }
            // Retention prunes received events after the key window (Data/NotificationRetention.cs): a sender's event
            // older than that may have been applied already, so it is refused (the insert rolls back), never applied twice.
            replayWindow.ThrowIfPastReplayWindow(requestId);
            if (notificationEvent is PersonContactEvent contact)
            {
                // Contacts follow people: no message, the contact (and a trainee's guardian's) is kept.
                var (person, guardian) = ContactSync.From(contact);
                await ContactStore.ApplySourcedAsync(session, person, Instants.ToUnixMs(now));
                if (guardian is not null)
                {
                    await ContactStore.ApplySourcedAsync(session, guardian, Instants.ToUnixMs(now));
                }
                return (false, 0);
            }
            if (notificationEvent is IntegratorEvent integratorEvent)
            {
                // Integrators' events go to their webhooks only (no person is messaged).
                return (false, await webhooks.FanOutAsync(session, requestId, integratorEvent, programmeId, occurredAt ?? now));
            }
            var contacts = await ContactStore.FindManyAsync(session, Subjects(notificationEvent));
            // Guardians of minors are looked up too.
            var guardians = await ContactStore.FindManyAsync(session, contacts.Values.Select(c => c.GuardianSubject));
            ContactInfo? Lookup(string subject) => contacts.TryGetValue(subject, out var c) ? c : guardians.GetValueOrDefault(subject);

            var queued = 0;
            foreach (var planned in EventPlanner.Plan(notificationEvent, Lookup, now, zone, quiet))
            {
                if (planned.BatchItem is { } item)
                {
                    queued += await AddToBatchAsync(session, planned, item, programmeId, zone, now) ? 1 : 0;
                    continue;
                }
                var row = NewRow(planned, programmeId, zone, now, 1);
                if (await MessageStore.TryInsertAsync(session, row))
                {
                    await EnqueueSendAsync(session, row.MessageId, planned.NotBefore);
                    queued++;
                }
            }
            return (false, queued);
        }, cancellationToken);
    }

    private async Task<bool> AddToBatchAsync(DbSession session, PlannedMessage planned, string item, string programmeId, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (!await MessageStore.TryAddBatchItemAsync(session, planned.DedupeKey, item))
        {
            return false;
        }
        var row = NewRow(planned, programmeId, zone, now, 1);
        if (await MessageStore.TryInsertAsync(session, row))
        {
            await EnqueueSendAsync(session, row.MessageId, planned.NotBefore);
            return true;
        }
        var existing = await MessageStore.FindByKeyAsync(session, planned.DedupeKey);
        if (existing is null || existing.MessageStatus != MessageStatus.Queued)
        {
            // The hour's message already went out (a late item): it is not told twice.
            return false;
        }
        var count = (int)existing.ItemCount + 1;
        await MessageStore.SetBatchCountAsync(session, existing.MessageId, count,
            Templates.Render(existing.Template, existing.MessageLanguage, existing.ArgumentMap, count));
        return false;
    }

    private static MessageRow NewRow(PlannedMessage planned, string programmeId, TimeZoneInfo zone, DateTimeOffset now, int count) => new()
    {
        MessageId = Guid.CreateVersion7().ToString(),
        DedupeKey = planned.DedupeKey,
        Subject = planned.Subject,
        ProgrammeId = programmeId,
        Template = planned.Template,
        Language = (int)planned.Language,
        Arguments = JsonSerializer.Serialize(planned.Arguments.Append(new("secret", planned.Secret ? "1" : "0")).Append(new("time_zone", zone.Id)).ToDictionary()),
        ItemCount = count,
        Text = Templates.Render(planned.Template, planned.Language, planned.Arguments, count),
        Status = (int)MessageStatus.Queued,
        CreatedAt = Instants.ToUnixMs(now),
        NotBefore = Instants.ToUnixMs(planned.NotBefore),
    };

    /// <summary>An outbox row of this service that sends the message once it is due.</summary>
    private async Task EnqueueSendAsync(DbSession session, string messageId, DateTimeOffset notBefore)
    {
        var id = await outbox.EnqueueAsync(session, SendDestination, new SendMessageRequest { MessageId = messageId });
        await session.ExecuteAsync("UPDATE outbox_messages SET next_attempt_at = @due WHERE id = @id",
            new { id, due = Instants.ToUnixMs(notBefore) });
    }

    private static IEnumerable<string> Subjects(NotificationEvent e) => e switch
    {
        BehindScheduleEvent b => [b.Trainee],
        HomeVisitEvent v => [v.Trainee, v.Instructor],
        KitDispatchedEvent k => [k.Trainee],
        OutputSentBackEvent o => [o.Trainee],
        AwaitingSignOffEvent a => a.HealthExperts,
        HandoverEvent h => [h.Recipient],
        SignInCodeEvent c => [c.Subject],
        InvitationEvent i => [i.Subject],
        _ => [],
    };
}
