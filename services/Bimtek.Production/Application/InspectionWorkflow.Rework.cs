using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Production.Application;

/// <summary>Rejected units of an inspection sent back to the trainee for rework.</summary>
internal sealed partial class InspectionWorkflow
{
    public async Task<TResponse> SendBackAsync<TResponse>(Caller caller, SendBackForReworkRequest request, Func<ReworkOrderRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var existing = await access.FindForChangeAsync(caller, request.InspectionId, cancellationToken);
        if (!caller.IsAny(Roles.Operator, Roles.Service))
        {
            var staff = await directory.CheckAsync(caller, existing.ProgrammeId, "", cancellationToken);
            if (!staff.PersonIsStaff || !caller.IsAny(Roles.Instructor, Roles.HealthExpert))
            {
                throw new PermissionDeniedException();
            }
        }
        return await idempotency.ExecuteAsync(request.RequestId, request, async s =>
        {
            var inspection = await InspectionStore.FindAsync(s, request.InspectionId, lockRow: true)
                ?? throw new NotFoundException("inspection", request.InspectionId);
            var open = inspection.TotalRejected - inspection.SentBackUnits;
            if (request.Units > open)
            {
                throw new PreconditionException(Reasons.ReworkExceedsRejected,
                    $"Only {open} rejected units of this inspection are not yet sent back.",
                    [new PreconditionViolation(Reasons.ReworkExceedsRejected, request.InspectionId, $"{open} rejected units not yet sent back")]);
            }
            if (!await InspectionStore.MarkSentBackAsync(s, inspection.InspectionId, request.Units, inspection.TotalRejected))
            {
                throw new PreconditionException(Reasons.ReworkExceedsRejected, "The rejected units were sent back by someone else meanwhile.");
            }
            var order = new ReworkOrderRow
            {
                ReworkOrderId = Guid.CreateVersion7().ToString(),
                InspectionId = inspection.InspectionId,
                ProgrammeId = inspection.ProgrammeId,
                TraineeId = inspection.TraineeId,
                Units = request.Units,
                Note = request.Note,
                CreatedAt = time.NowMs(),
            };
            await InspectionStore.InsertReworkOrderAsync(s, order);
            await notifications.SentBackAsync(s, order.ReworkOrderId, order.ProgrammeId, inspection.TimeZone, order.TraineeId, request.Units, request.Note);
            return respond(order);
        }, cancellationToken);
    }
}
