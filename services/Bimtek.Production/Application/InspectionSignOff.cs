using Bimtek.Common.V1;
using Bimtek.Coordinator.V1;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Production.Api;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Production.Application;

/// <summary>
/// A health expert signs off the units of a medical inspection that await them: one idempotent transaction that locks
/// the inspection, settles each report's share (<see cref="UnitAllocation.SignOff"/>), and sends the result to the
/// coordinator and the accepted units to distribution through the outbox.
/// </summary>
internal sealed class InspectionSignOff(
    IdempotentExecutor idempotency,
    InspectionAccess access,
    ProgrammeDirectory directory,
    Checklists checklists,
    OutboxWriter outbox,
    DistributionEvents distribution,
    NotificationEvents notifications,
    PhotoLibrary photos,
    TimeProvider time)
{
    /// <summary>The executor stores the answer for replays, so the handler gives the mapping that makes it (<paramref name="respond"/>).</summary>
    public async Task<TResponse> SignOffAsync<TResponse>(Caller caller, SignOffInspectionRequest request, Func<StoredInspection, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var existing = await access.FindForChangeAsync(caller, request.InspectionId, cancellationToken);
        var expert = await directory.ResolveStaffAsync(caller, existing.ProgrammeId, request.HealthExpertId, cancellationToken);
        if (expert.PersonRole == Role.Instructor || (caller.IsPrivileged && expert.PersonRole != Role.HealthExpert))
        {
            throw new PreconditionException(Reasons.NotHealthExpert,
                "Only a health expert of the programme may sign off medical products.",
                [new PreconditionViolation(Reasons.NotHealthExpert, expert.PersonId, "not a health expert of the programme")]);
        }
        if (expert.PersonRole != Role.HealthExpert)
        {
            throw new PermissionDeniedException();
        }
        await photos.EnsureAttachableAsync(request.PhotoIds, existing.ProgrammeId, existing.TraineeId, traineeReports: false, cancellationToken);

        return await idempotency.ExecuteAsync(request.RequestId, request, async s =>
        {
            var inspection = await InspectionStore.FindAsync(s, request.InspectionId, lockRow: true)
                ?? throw new NotFoundException("inspection", request.InspectionId);
            if (inspection.Status != (long)InspectionStatus.AwaitingSignOff || inspection.AwaitingSignOffUnits == 0)
            {
                throw new PreconditionException(Reasons.NotAwaitingSignOff, "Nothing of this inspection awaits a sign-off.");
            }
            var awaiting = (int)inspection.AwaitingSignOffUnits;
            if (request.AcceptedUnits + request.RejectedUnits != awaiting)
            {
                throw new PreconditionException(Reasons.CountsDoNotAddUp,
                    $"Accepted plus rejected must equal the {awaiting} units awaiting sign-off.",
                    [new PreconditionViolation(Reasons.CountsDoNotAddUp, request.InspectionId, $"{awaiting} units await sign-off")]);
            }
            await checklists.EnsureValidAsync(s, inspection.ProductCode, request.Defects);
            var parts = await InspectionStore.SharesAsync(s, inspection.InspectionId);
            foreach (var (reportId, accepted, rejected) in UnitAllocation.SignOff(parts.Select(p => (p.ReportId, (int)p.AwaitingUnits)).ToList(), request.AcceptedUnits))
            {
                await InspectionStore.SettleShareAsync(s, inspection.InspectionId, reportId, accepted, rejected);
            }
            var now = time.GetUtcNow();
            var signedOff = await InspectionStore.MarkSignedOffAsync(s, inspection.InspectionId, awaiting, expert.PersonId,
                request.AcceptedUnits, request.RejectedUnits, request.Note, Instants.ToUnixMs(now));
            if (!signedOff)
            {
                throw new PreconditionException(Reasons.NotAwaitingSignOff, "The inspection was signed off by someone else meanwhile.");
            }
            await InspectionStore.InsertDefectsAsync(s, inspection.InspectionId, DefectStages.SignOff, request.Defects);
            await outbox.EnqueueAsync(s, OutboxNames.CoordinatorInspection, new ApplyInspectionResultRequest
            {
                InspectionId = inspection.InspectionId,
                ProgrammeId = inspection.ProgrammeId,
                TraineeId = inspection.TraineeId,
                Day = CalendarDays.ToDate(CalendarDays.Today(now, inspection.TimeZone)),
                InspectedUnits = 0,
                AcceptedUnits = request.AcceptedUnits,
                RejectedUnits = request.RejectedUnits,
                AwaitingSignOffDelta = -awaiting,
            });
            await distribution.AcceptedAsync(s, inspection.InspectionId, inspection.ProgrammeId, inspection.TraineeId, inspection.ProductCode, request.AcceptedUnits, now);
            await notifications.RejectedAsync(s, inspection.InspectionId + "/sign-off", inspection.ProgrammeId, inspection.TimeZone, inspection.TraineeId,
                request.RejectedUnits, request.Note, request.Defects);
            await PhotoStore.AttachToInspectionAsync(s, inspection.InspectionId, "sign_off", request.PhotoIds);
            return respond(await InspectionStore.LoadAsync(s, inspection.InspectionId));
        }, cancellationToken);
    }
}
