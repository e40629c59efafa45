using Bimtek.Common.V1;
using Bimtek.Coordinator.V1;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
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
/// Inspections, health-expert sign-offs and rework orders. Each is one idempotent transaction that
/// locks what it counts from (the reports, or the inspection) and changes counts with guarded
/// updates, so units are never inspected twice nor more than reported, also under concurrency.
/// Effects leave through the outbox in the same transaction: every inspection or sign-off to the
/// coordinator, finally accepted units to distribution — never units still awaiting sign-off.
/// The SQL is <see cref="InspectionStore"/>; this file is the inspection itself, rework orders are in
/// <c>InspectionWorkflow.Rework.cs</c>, health experts' sign-offs in <see cref="InspectionSignOff"/>.
/// </summary>
internal sealed partial class InspectionWorkflow(
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
    public async Task<TResponse> InspectAsync<TResponse>(Caller caller, InspectOutputRequest request, Func<StoredInspection, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var inspector = await directory.ResolveStaffAsync(caller, request.ProgrammeId, request.InspectorId, cancellationToken);
        if (!inspector.PersonIsStaff)
        {
            throw caller.IsPrivileged
                ? new PreconditionException(Reasons.NotInspector, "The inspector is not an instructor or health expert of the programme.")
                : new PermissionDeniedException();
        }
        var isHealthExpert = inspector.PersonRole == Role.HealthExpert;
        await photos.EnsureAttachableAsync(request.PhotoIds, request.ProgrammeId, request.TraineeId, traineeReports: false, cancellationToken);

        return await idempotency.ExecuteAsync(request.RequestId, request, async s =>
        {
            var reports = await LockReportsAsync(s, request);
            await checklists.EnsureValidAsync(s, reports[0].ProductCode, request.Defects);
            var available = reports.Sum(r => r.Remaining);
            var total = request.AcceptedUnits + request.RejectedUnits;
            if (available == 0)
            {
                throw new PreconditionException(Reasons.NothingToInspect, "The selected reports have no units left to inspect.");
            }
            if (total > available)
            {
                throw new PreconditionException(Reasons.ExceedsReported,
                    $"{total} units exceed the {available} units left to inspect in the selected reports.",
                    [new PreconditionViolation(Reasons.ExceedsReported, request.TraineeId, $"{available} units left to inspect")]);
            }
            var shares = UnitAllocation.Inspect(reports.Select(r => (r.ReportId, r.Remaining)).ToList(), request.AcceptedUnits, request.RejectedUnits);
            var medical = reports[0].IsMedical;
            var outcome = InspectionOutcome.Decide(medical, isHealthExpert, request.AcceptedUnits);
            var now = time.GetUtcNow();
            var inspectionId = Guid.CreateVersion7().ToString();
            var status = outcome.AwaitingSignOff > 0 ? InspectionStatus.AwaitingSignOff
                : outcome.SignedOffByInspector ? InspectionStatus.SignedOff
                : InspectionStatus.Completed;

            await InspectionStore.InsertAsync(s, new NewInspection(
                inspectionId,
                request.ProgrammeId,
                request.TraineeId,
                reports[0].ProductCode,
                medical ? 1 : 0,
                reports[0].TimeZone,
                total,
                request.AcceptedUnits,
                request.RejectedUnits,
                inspector.PersonId,
                (int)(isHealthExpert ? InspectorRole.HealthExpert : InspectorRole.Instructor),
                (int)status,
                outcome.Accepted,
                outcome.AwaitingSignOff,
                request.Note,
                Instants.ToUnixMs(now),
                outcome.SignedOffByInspector ? inspector.PersonId : null,
                outcome.SignedOffByInspector ? outcome.Accepted : null,
                outcome.SignedOffByInspector ? 0 : null,
                outcome.SignedOffByInspector ? "" : null,
                outcome.SignedOffByInspector ? Instants.ToUnixMs(now) : null));
            var position = 0;
            foreach (var share in shares)
            {
                if (!await InspectionStore.TakeReportUnitsAsync(s, share.ReportId, share.Units))
                {
                    throw new PreconditionException(Reasons.ExceedsReported, "The units were inspected by someone else meanwhile.");
                }
                var awaiting = outcome.AwaitingSignOff > 0 ? share.Passed : 0;
                await InspectionStore.InsertShareAsync(s, inspectionId, share, awaiting, position++);
            }
            await InspectionStore.InsertDefectsAsync(s, inspectionId, DefectStages.Inspection, request.Defects);
            await PhotoStore.AttachToInspectionAsync(s, inspectionId, "inspection", request.PhotoIds);

            var day = CalendarDays.Today(now, reports[0].TimeZone);
            await outbox.EnqueueAsync(s, OutboxNames.CoordinatorInspection, new ApplyInspectionResultRequest
            {
                InspectionId = inspectionId,
                ProgrammeId = request.ProgrammeId,
                TraineeId = request.TraineeId,
                Day = CalendarDays.ToDate(day),
                InspectedUnits = total,
                AcceptedUnits = outcome.Accepted,
                RejectedUnits = request.RejectedUnits,
                AwaitingSignOffDelta = outcome.AwaitingSignOff,
            });
            await distribution.AcceptedAsync(s, inspectionId, request.ProgrammeId, request.TraineeId, reports[0].ProductCode, outcome.Accepted, now);
            await notifications.RejectedAsync(s, inspectionId, request.ProgrammeId, reports[0].TimeZone, request.TraineeId, request.RejectedUnits, request.Note, request.Defects);
            await notifications.AwaitingSignOffAsync(s, inspectionId, request.ProgrammeId, reports[0].TimeZone, outcome.AwaitingSignOff);
            return respond(await InspectionStore.LoadAsync(s, inspectionId));
        }, cancellationToken);
    }

    /// <summary>The recorded reports an inspection takes from, oldest first, locked for this transaction.</summary>
    private static async Task<List<ReportRow>> LockReportsAsync(DbSession s, InspectOutputRequest request)
    {
        List<ReportRow> reports;
        if (request.ReportIds.Count > 0)
        {
            var ids = request.ReportIds.Distinct().ToArray();
            reports = await InspectionStore.LockReportsAsync(s, ids);
            var missing = ids.Except(reports.Where(r => r.ProgrammeId == request.ProgrammeId && r.TraineeId == request.TraineeId).Select(r => r.ReportId)).FirstOrDefault();
            if (missing is not null)
            {
                throw new NotFoundException("output report", missing);
            }
            var unrecorded = reports.FirstOrDefault(r => r.Status != ReportStatus.Recorded);
            if (unrecorded is not null)
            {
                throw new PreconditionException(Reasons.ReportNotRecorded, $"Report {unrecorded.ReportId} is {unrecorded.Status}, not recorded.",
                    [new PreconditionViolation(Reasons.ReportNotRecorded, unrecorded.ReportId, $"status is {unrecorded.Status}")]);
            }
        }
        else
        {
            RequestValidator.TryToDateOnly(request.Day, out var day);
            reports = await InspectionStore.LockOpenReportsOfDayAsync(s, request.ProgrammeId, request.TraineeId, CalendarDays.ToText(day));
            if (reports.Count == 0)
            {
                throw new PreconditionException(Reasons.NothingToInspect, $"The trainee has no units of {CalendarDays.ToText(day)} left to inspect.");
            }
        }
        return reports;
    }
}
