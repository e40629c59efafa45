using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Hosting;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;

namespace Bimtek.Distribution.Application;

/// <summary>
/// A created handover is told to the recipient's contact through the notifications service: one outbox message,
/// written in the handover's transaction (only with <c>Distribution:SendNotifications</c>). The contact is keyed by
/// the recipient's id; the recipient's registered phone goes along for when the office set no contact.
/// </summary>
internal sealed class HandoverNotifications(OutboxWriter outbox, IOptions<DistributionOptions> options)
{
    public const string Destination = "notifications.event";

    public async Task HandoverCreatedAsync(DbSession session, HandoverRow handover, RecipientRow recipient)
    {
        if (!options.Value.SendNotifications)
        {
            return;
        }
        await outbox.EnqueueAsync(session, Destination, new ReceiveEventRequest
        {
            ProgrammeId = handover.ProgrammeId,
            HandoverCreated = new HandoverCreated
            {
                HandoverId = handover.HandoverId,
                DocumentNumber = handover.DocumentNumber,
                RecipientSubject = recipient.RecipientId,
                RecipientName = recipient.Name,
                Units = (int)handover.Units,
                ProductName = handover.ProductName.Length > 0 ? handover.ProductName : handover.ProductCode,
                Phone = recipient.Phone,
            },
        });
    }
}

/// <summary>
/// A confirmed handover, for integrators' webhooks (<c>handover.confirmed</c>): one outbox message in the confirming
/// transaction (only with <c>Distribution:SendNotifications</c>).
/// </summary>
internal sealed class HandoverConfirmations(OutboxWriter outbox, IOptions<DistributionOptions> options)
{
    public async Task HandoverConfirmedAsync(DbSession session, HandoverRow handover, DateTimeOffset confirmedAt)
    {
        if (!options.Value.SendNotifications)
        {
            return;
        }
        await outbox.EnqueueAsync(session, HandoverNotifications.Destination, new ReceiveEventRequest
        {
            ProgrammeId = handover.ProgrammeId,
            OccurredAt = Instants.ToTimestamp(confirmedAt),
            HandoverConfirmed = new HandoverConfirmed
            {
                HandoverId = handover.HandoverId,
                DocumentNumber = handover.DocumentNumber,
                RecipientId = handover.RecipientId,
                RecipientName = handover.RecipientName,
                ProductCode = handover.ProductCode,
                Units = (int)handover.Units,
                ConfirmedAt = Instants.ToTimestamp(confirmedAt),
            },
        });
    }
}

/// <summary>Delivers events to NotificationsInternalService.ReceiveEvent (idempotent on the outbox message id).</summary>
internal sealed class NotificationEventDestination(IServiceProvider services) : OutboxDestination<ReceiveEventRequest>
{
    public override string Name => HandoverNotifications.Destination;

    // Resolved per delivery: a missing notifications address fails (and retries) the delivery, not the host's start.
    protected override Task SendAsync(ReceiveEventRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<NotificationsInternalService.NotificationsInternalServiceClient>().ReceiveEventAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}
