using Bimtek.Coordinator.V1;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Participants.Application;

/// <summary>
/// Writes programme and enrolment changes for the coordinator into the outbox, in the caller's
/// transaction. Each message carries the programme snapshot (with its revision), so the
/// coordinator never has to call back; the message id becomes the coordinator's request_id.
/// </summary>
internal sealed class CoordinatorChanges(OutboxWriter outbox)
{
    public const string ProgrammeDestination = "coordinator.programme-change";
    public const string EnrolmentDestination = "coordinator.enrolment-change";

    public Task ProgrammeChangedAsync(DbSession session, ProgrammeRow programme) =>
        outbox.EnqueueAsync(session, ProgrammeDestination, new ApplyProgrammeChangeRequest { Programme = Snapshot(programme) });

    public Task EnrolmentChangedAsync(DbSession session, ProgrammeRow programme, EnrolmentRow enrolment, EnrolmentChange change, long changedAtMs) =>
        outbox.EnqueueAsync(session, EnrolmentDestination, new ApplyEnrolmentChangeRequest
        {
            Programme = Snapshot(programme),
            TraineeId = enrolment.TraineeId,
            EnrolmentId = enrolment.EnrolmentId,
            Change = change,
            EnrolmentSequence = (int)enrolment.Sequence,
            ChangedAt = Instants.ToTimestamp(changedAtMs),
        });

    public static ProgrammeSnapshot Snapshot(ProgrammeRow p) => new()
    {
        ProgrammeId = p.ProgrammeId,
        Code = p.Code,
        Revision = p.Revision,
        ProductCode = p.ProductCode,
        TargetQuantity = (int)p.TargetQuantity,
        StartDay = CalendarDays.ToDate(p.StartDay),
        EndDay = CalendarDays.ToDate(p.EndDay),
        TimeZone = p.TimeZone,
        // ProgrammePhase numbers match ProgrammeStatus numbers (draft 1 … cancelled 4).
        Phase = (ProgrammePhase)p.Status,
    };
}

/// <summary>Delivers programme changes to the coordinator's QuotaInternalService.ApplyProgrammeChange.</summary>
internal sealed class ProgrammeChangeDestination(IServiceProvider services) : OutboxDestination<ApplyProgrammeChangeRequest>
{
    public override string Name => CoordinatorChanges.ProgrammeDestination;

    // The client is resolved per delivery: a missing coordinator address fails (and retries) the delivery, not the host's start.
    protected override Task SendAsync(ApplyProgrammeChangeRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<QuotaInternalService.QuotaInternalServiceClient>().ApplyProgrammeChangeAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}

/// <summary>Delivers enrolment changes to the coordinator's QuotaInternalService.ApplyEnrolmentChange.</summary>
internal sealed class EnrolmentChangeDestination(IServiceProvider services) : OutboxDestination<ApplyEnrolmentChangeRequest>
{
    public override string Name => CoordinatorChanges.EnrolmentDestination;

    // The client is resolved per delivery: a missing coordinator address fails (and retries) the delivery, not the host's start.
    protected override Task SendAsync(ApplyEnrolmentChangeRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<QuotaInternalService.QuotaInternalServiceClient>().ApplyEnrolmentChangeAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}
