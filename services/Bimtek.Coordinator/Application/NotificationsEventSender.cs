using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Coordinator.Application;

/// <summary>
/// Delivers the programme grains' integrator events to NotificationsInternalService.ReceiveEvent, the event id as request_id
/// (notifications applies it once, so a retry after a lost answer changes nothing). The client is resolved per call: a
/// coordinator without a notifications address still starts; its events wait in the grains' state.
/// </summary>
internal sealed class NotificationsEventSender(IServiceProvider services) : IIntegratorEventSender
{
    /// <summary>A programme grain waits for this call (its timer does not interleave): never long.</summary>
    private static TimeSpan Deadline => TimeSpan.FromSeconds(10);

    public async Task SendAsync(string programmeId, string timeZone, IntegratorEvent integratorEvent, CancellationToken cancellationToken)
    {
        var request = new ReceiveEventRequest
        {
            RequestId = integratorEvent.EventId,
            ProgrammeId = programmeId,
            TimeZone = timeZone,
            OccurredAt = Instants.ToTimestampFromUtc(integratorEvent.OccurredAt),
        };
        switch (integratorEvent.Kind)
        {
            case IntegratorEventKind.QuotaChanged:
                request.QuotaChanged = new QuotaChanged
                {
                    TraineeId = integratorEvent.TraineeId,
                    PreviousQuota = integratorEvent.PreviousQuota,
                    Quota = integratorEvent.Quota,
                    Reason = integratorEvent.Reason,
                };
                break;
            case IntegratorEventKind.ProgrammeCompleted:
                request.ProgrammeCompleted = new ProgrammeCompleted
                {
                    Code = integratorEvent.ProgrammeCode,
                    TargetUnits = integratorEvent.TargetUnits,
                    AcceptedUnits = integratorEvent.AcceptedUnits,
                    CompletedAt = request.OccurredAt,
                };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(integratorEvent), integratorEvent.Kind, "Unknown integrator event kind.");
        }
        await services.GetRequiredService<NotificationsInternalService.NotificationsInternalServiceClient>()
            .ReceiveEventAsync(request, deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);
    }
}
