using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Notifications.V1;
using Bimtek.Participants.V1;
using Bimtek.Production.Hosting;
using Bimtek.Production.V1;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Application;

/// <summary>
/// What people are told of, through the notifications service (only with <c>Production:SendNotifications</c>): units
/// rejected at an inspection or a sign-off and units sent back for rework (the trainee, with the reason), and units
/// of a medical product waiting for a health expert's sign-off (the programme's health experts; notifications batches
/// them into one message per expert per hour). One outbox message in the caller's transaction; its id becomes
/// notifications' request_id, so a redelivery changes nothing.
/// </summary>
internal sealed class NotificationEvents(OutboxWriter outbox, IOptions<ProductionOptions> options)
{
    public const string Destination = "notifications.event";

    /// <summary>Units rejected (<paramref name="factId"/> names the rejection: the inspection, or its sign-off).</summary>
    public Task RejectedAsync(DbSession session, string factId, string programmeId, string timeZone, string traineeId, int units,
        string note, IEnumerable<DefectCount> defects) =>
        units <= 0 ? Task.CompletedTask : EnqueueAsync(session, programmeId, timeZone, new ReceiveEventRequest
        {
            OutputSentBack = new OutputSentBack { ReportId = factId, TraineeSubject = traineeId, Rework = false, Reason = Reason(note, defects), Units = units },
        });

    public Task SentBackAsync(DbSession session, string reworkOrderId, string programmeId, string timeZone, string traineeId, int units, string note) =>
        EnqueueAsync(session, programmeId, timeZone, new ReceiveEventRequest
        {
            OutputSentBack = new OutputSentBack { ReportId = reworkOrderId, TraineeSubject = traineeId, Rework = true, Reason = note, Units = units },
        });

    /// <summary>Units waiting for sign-off; the health experts are looked up when the event is delivered.</summary>
    public Task AwaitingSignOffAsync(DbSession session, string inspectionId, string programmeId, string timeZone, int units) =>
        units <= 0 ? Task.CompletedTask : EnqueueAsync(session, programmeId, timeZone, new ReceiveEventRequest
        {
            InspectionAwaitingSignOff = new InspectionAwaitingSignOff { InspectionId = inspectionId, Units = units },
        });

    /// <summary>The inspector's note, then the defects found ("SEAM_OPEN × 2").</summary>
    internal static string Reason(string note, IEnumerable<DefectCount> defects)
    {
        var found = string.Join(", ", defects.Select(d => $"{d.DefectCode} × {d.Units}"));
        return (note.Trim(), found) switch
        {
            ("", var f) => f,
            (var n, "") => n,
            (var n, var f) => $"{n} ({f})",
        };
    }

    private async Task EnqueueAsync(DbSession session, string programmeId, string timeZone, ReceiveEventRequest request)
    {
        if (!options.Value.SendNotifications)
        {
            return;
        }
        request.ProgrammeId = programmeId;
        request.TimeZone = timeZone;
        await outbox.EnqueueAsync(session, Destination, request);
    }
}

/// <summary>
/// Delivers events to NotificationsInternalService.ReceiveEvent (idempotent on the outbox message id). Units waiting for
/// sign-off are addressed to the programme's health experts as participants lists them at delivery time.
/// </summary>
internal sealed class NotificationEventDestination(IServiceProvider services) : OutboxDestination<ReceiveEventRequest>
{
    public override string Name => NotificationEvents.Destination;

    // Clients resolved per delivery: a missing address fails (and retries) the delivery, not the host's start.
    protected override async Task SendAsync(ReceiveEventRequest request, CancellationToken cancellationToken)
    {
        if (request.InspectionAwaitingSignOff is { HealthExpertSubjects.Count: 0 } waiting)
        {
            var programme = await services.GetRequiredService<ParticipantsService.ParticipantsServiceClient>()
                .GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = request.ProgrammeId }, cancellationToken: cancellationToken);
            waiting.HealthExpertSubjects.Add(programme.Staff.Where(s => s.Role == StaffRole.HealthExpert).Select(s => s.PersonId));
        }
        await services.GetRequiredService<NotificationsInternalService.NotificationsInternalServiceClient>().ReceiveEventAsync(request, cancellationToken: cancellationToken);
    }
}
