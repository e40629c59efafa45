using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>Output reports and their rework orders.</summary>
internal sealed partial class ProductionGrpcService
{
    public override async Task<OutputReport> ReportOutput(ReportOutputRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("trainee_id", request.TraineeId)
            .Required("product_code", request.ProductCode, 64)
            .Date("day", request.Day)
            .Positive("units", request.Units, MaxUnits)
            .Optional("note", request.Note, 1000)
            .Url("photo_url", request.PhotoUrl)
            .When(!string.IsNullOrEmpty(request.PhotoUrl) && !request.PhotoUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase), "photo_url", "must be an https URL")
            .When(!string.IsNullOrEmpty(request.ReworkOrderId) && !Guid.TryParse(request.ReworkOrderId, out _), "rework_order_id", "must be an id returned by the service");
        photos.ValidateIds(validator, request.PhotoIds).ThrowIfInvalid();
        var caller = context.GetCaller().Require(Access.Reporters);
        var report = await reports.ReportAsync(caller, request, context.CancellationToken);
        ReportSettlement.ThrowIfRejected(report);
        // The report's photos are the request's, in order: a replay with other photos is refused as a reused
        // request id (the fingerprint covers photo_ids), so no read is needed on the write path.
        var view = ProtoMapping.ToProto(report);
        view.PhotoIds.Add(request.PhotoIds);
        return view;
    }

    public override async Task<OutputReport> GetOutputReport(GetOutputReportRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("report_id", request.ReportId).ThrowIfInvalid();
        var caller = context.GetCaller();
        ReportRow report;
        try
        {
            report = await reports.GetAsync(request.ReportId, context.CancellationToken);
        }
        catch (NotFoundException) when (!Access.MayLearnAbsence(caller))
        {
            throw new PermissionDeniedException();
        }
        await directory.EnsureCanReadAsync(caller, report.ProgrammeId, report.TraineeId, context.CancellationToken);
        return (await WithPhotosAsync([ProtoMapping.ToProto(report)], context.CancellationToken))[0];
    }

    public override async Task<ListOutputReportsResponse> ListOutputReports(ListOutputReportsRequest request, ServerCallContext context)
    {
        ValidateList(request.PageSize, request.PageToken, ProductionQueries.Reports, request.ProgrammeId, request.TraineeId, request.Day)
            .Defined("status", request.Status, allowUnspecified: true)
            .ThrowIfInvalid();
        var (rows, next) = await lists.PageAsync(context.GetCaller(), ProductionQueries.Reports, request.ProgrammeId, request.TraineeId,
            request.PageSize, request.PageToken, (page, ct) => queries.ListReportsAsync(request.ProgrammeId, request.TraineeId,
                DayText(request.Day), ProtoMapping.ToStored(request.Status), page, ct), context.CancellationToken);
        var response = new ListOutputReportsResponse { NextPageToken = next };
        response.OutputReports.Add(await WithPhotosAsync(rows.Select(ProtoMapping.ToProto).ToList(), context.CancellationToken));
        return response;
    }

    public override Task<ReworkOrder> SendBackForRework(SendBackForReworkRequest request, ServerCallContext context)
    {
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("inspection_id", request.InspectionId)
            .Positive("units", request.Units, MaxUnits * 10)
            .Optional("note", request.Note, 1000)
            .ThrowIfInvalid();
        var caller = context.GetCaller().Require(Access.Inspectors);
        return inspections.SendBackAsync(caller, request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<ListReworkOrdersResponse> ListReworkOrders(ListReworkOrdersRequest request, ServerCallContext context)
    {
        ValidateList(request.PageSize, request.PageToken, ProductionQueries.ReworkOrders, request.ProgrammeId, request.TraineeId, null)
            .ThrowIfInvalid();
        var (rows, next) = await lists.PageAsync(context.GetCaller(), ProductionQueries.ReworkOrders, request.ProgrammeId, request.TraineeId,
            request.PageSize, request.PageToken, (page, ct) => queries.ListReworkOrdersAsync(request.ProgrammeId, request.TraineeId,
                request.OpenOnly, page, ct), context.CancellationToken);
        var response = new ListReworkOrdersResponse { NextPageToken = next };
        response.ReworkOrders.Add(rows.Select(ProtoMapping.ToProto));
        return response;
    }
}
