using System.Text.Json;

namespace Bimtek.Notifications.Domain;

/// <summary>The event types integrators subscribe to (numbers as in the contract's <c>WebhookEventType</c>).</summary>
public enum WebhookEventKind
{
    HandoverConfirmed = 1,
    ProgrammeCompleted = 2,
    QuotaChanged = 3,
}

/// <summary>
/// The JSON body of a webhook delivery: <c>{"id", "type", "occurred_at", "programme_id", "data"}</c>. <c>id</c> is the
/// event's id (the sender's outbox message id, the same for every webhook and attempt); <c>type</c> a dotted name
/// (<see cref="Name"/>); <c>data</c> the event's fields in snake_case. Written once when the event arrives, so every
/// attempt sends the same bytes.
/// </summary>
public static class WebhookEvents
{
    public static string Name(WebhookEventKind kind) => kind switch
    {
        WebhookEventKind.HandoverConfirmed => "handover.confirmed",
        WebhookEventKind.ProgrammeCompleted => "programme.completed",
        WebhookEventKind.QuotaChanged => "quota.changed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Body(string eventId, IntegratorEvent e, string programmeId, DateTimeOffset occurredAt)
    {
        object data = e switch
        {
            HandoverConfirmedEvent h => new
            {
                handover_id = h.HandoverId,
                document_number = h.DocumentNumber,
                recipient_id = h.RecipientId,
                recipient_name = h.RecipientName,
                product_code = h.ProductCode,
                units = h.Units,
                confirmed_at = h.ConfirmedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
            ProgrammeCompletedEvent p => new
            {
                code = p.Code,
                target_units = p.TargetUnits,
                accepted_units = p.AcceptedUnits,
                completed_at = p.CompletedAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
            QuotaChangedEvent q => new { trainee_id = q.TraineeId, previous_quota = q.PreviousQuota, quota = q.Quota, reason = q.Reason },
            _ => throw new ArgumentOutOfRangeException(nameof(e)),
        };
        return JsonSerializer.Serialize(new
        {
            id = eventId,
            type = Name(e.Kind),
            occurred_at = occurredAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            programme_id = programmeId,
            data,
        });
    }
}
