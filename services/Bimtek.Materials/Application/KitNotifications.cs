using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Materials.Hosting;
using Bimtek.Notifications.V1;
using Microsoft.Extensions.Options;

namespace Bimtek.Materials.Application;

/// <summary>
/// A dispatched kit is told to the trainee through the notifications service (only with
/// <c>Materials:SendNotifications</c>): one outbox message per kit, in the dispatch's transaction; its id becomes
/// notifications' request_id, so a redelivery changes nothing, and the kit's movement id names the fact.
/// </summary>
internal sealed class KitNotifications(OutboxWriter outbox, IOptions<MaterialsOptions> options)
{
    public const string Destination = "notifications.event";

    public async Task KitDispatchedAsync(DbSession session, string movementId, string programmeId, string traineeId, string productName)
    {
        if (!options.Value.SendNotifications)
        {
            return;
        }
        await outbox.EnqueueAsync(session, Destination, new ReceiveEventRequest
        {
            ProgrammeId = programmeId,
            KitDispatched = new KitDispatched { DispatchId = movementId, TraineeSubject = traineeId, ProductName = productName },
        });
    }
}

/// <summary>Delivers events to NotificationsInternalService.ReceiveEvent (idempotent on the outbox message id).</summary>
internal sealed class NotificationEventDestination(IServiceProvider services) : OutboxDestination<ReceiveEventRequest>
{
    public override string Name => KitNotifications.Destination;

    // Resolved per delivery: a missing notifications address fails (and retries) the delivery, not the host's start.
    protected override Task SendAsync(ReceiveEventRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<NotificationsInternalService.NotificationsInternalServiceClient>().ReceiveEventAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}
