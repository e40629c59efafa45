using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Production.Application;

/// <summary>
/// Rework reports: units remade for a rework order consume nothing, so they are stored RECORDED in one
/// transaction with the order's new count and the coordinator's outbox row.
/// </summary>
internal sealed partial class OutputReportWorkflow
{
    private async Task<ReportRow> ReportReworkAsync(Caller caller, ReportOutputRequest request, string hash, ProgrammeFacts facts, CancellationToken cancellationToken)
    {
        RequestValidator.TryToDateOnly(request.Day, out var day);
        var now = time.NowMs();
        var reportId = Guid.CreateVersion7().ToString();
        var stored = await database.InTransactionAsync(async s =>
        {
            var order = await ReportStore.ReworkOrderForUpdateAsync(s, request.ReworkOrderId);
            if (order is null || order.ProgrammeId != request.ProgrammeId || order.TraineeId != request.TraineeId)
            {
                throw new NotFoundException("rework order", request.ReworkOrderId);
            }
            if (order.Units - order.ReworkedUnits <= 0)
            {
                throw new PreconditionException(Reasons.ReworkOrderClosed, "The rework order has no open units.");
            }
            if (request.Units > order.Units - order.ReworkedUnits)
            {
                throw new PreconditionException(Reasons.ReworkExceedsOrder,
                    $"The rework order has {order.Units - order.ReworkedUnits} open units; {request.Units} were reported.",
                    [new PreconditionViolation(Reasons.ReworkExceedsOrder, request.ReworkOrderId, $"open units {order.Units - order.ReworkedUnits}")]);
            }
            var report = new ReportRow
            {
                ReportId = reportId,
                RequestId = request.RequestId,
                RequestHash = hash,
                ProgrammeId = request.ProgrammeId,
                TraineeId = request.TraineeId,
                ProductCode = request.ProductCode,
                ProductId = "",
                Medical = order.Medical,
                TimeZone = facts.TimeZone,
                Day = CalendarDays.ToText(day),
                Units = request.Units,
                Note = request.Note,
                PhotoUrl = request.PhotoUrl,
                ReworkOrderId = request.ReworkOrderId,
                Status = ReportStatus.Recorded,
                ReportedBy = caller.Subject,
                ReportedAt = now,
                SettledAt = now,
            };
            if (await ReportStore.InsertAsync(s, report, leaseUntil: 0) == 0)
            {
                return false;
            }
            await PhotoStore.AttachToReportAsync(s, reportId, request.PhotoIds);
            if (!await ReportStore.AddReworkedUnitsAsync(s, request.ReworkOrderId, request.Units))
            {
                throw new PreconditionException(Reasons.ReworkExceedsOrder, "The rework order has fewer open units than reported.");
            }
            await outbox.EnqueueAsync(s, OutboxNames.CoordinatorOutput, ReportSettlement.OutputEffect(report, rework: true));
            return true;
        }, cancellationToken);
        var row = await store.FindByRequestAsync(request.RequestId, cancellationToken)
            ?? throw new InvalidOperationException("A rework report vanished after it was stored.");
        return stored ? row : await ReplayAsync(caller, row, hash, cancellationToken);
    }
}
