using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>Output reports: report (the write path is <see cref="OutputReportWorkflow"/>), get, list.</summary>
internal sealed partial class ProductionGrpcService
{
    public override async Task<OutputReport> ReportOutput(ReportOutputRequest request, ServerCallContext context)
    {
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("trainee_id", request.TraineeId)
            .Required("product_code", request.ProductCode, 64)
            .Date("day", request.Day)
            .Positive("units", request.Units, MaxUnits)
            .Optional("note", request.Note, 1000)
            .Url("photo_url", request.PhotoUrl)
            .When(!string.IsNullOrEmpty(request.PhotoUrl) && !request.PhotoUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase), "photo_url", "must be an https URL")
            .When(!string.IsNullOrEmpty(request.ReworkOrderId) && !Guid.TryParse(request.ReworkOrderId, out _), "rework_order_id", "must be an id returned by the service")
            .ThrowIfInvalid();
        var caller = context.GetCaller().Require(Access.Reporters);
        var report = await reports.ReportAsync(caller, request, context.CancellationToken);
        OutputReportWorkflow.ThrowIfRejected(report);
        return ProtoMapping.ToProto(report);
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
        return ProtoMapping.ToProto(report);
    }

    public override async Task<ListOutputReportsResponse> ListOutputReports(ListOutputReportsRequest request, ServerCallContext context)
    {
        ValidateList(request.PageSize, request.PageToken, ListPosition.Reports, request.ProgrammeId, request.TraineeId, request.Day)
            .Defined("status", request.Status, allowUnspecified: true)
            .ThrowIfInvalid();
        var after = ListPosition.Read(request.PageToken, ListPosition.Reports);
        var caller = context.GetCaller();
        if (!await EnsureCanListAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken))
        {
            return new ListOutputReportsResponse();
        }
        var pageSize = RequestValidator.EffectivePageSize(request.PageSize);
        var (rows, next) = await queries.ListReportsAsync(request.ProgrammeId, request.TraineeId, DayText(request.Day),
            ProtoMapping.ToStored(request.Status), pageSize, after, context.CancellationToken);
        var response = new ListOutputReportsResponse { NextPageToken = ListPosition.Token(ListPosition.Reports, next) };
        response.OutputReports.Add(rows.Select(ProtoMapping.ToProto));
        return response;
    }
}
