using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Documents;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Google.Api;
using Google.Protobuf;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
    public override async Task<ProgrammeFlowReport> GetProgrammeFlowReport(GetProgrammeFlowReportRequest request, ServerCallContext context) =>
        await ProgrammeFlowAsync(request, context);

    public override async Task<HttpBody> GetProgrammeFlowReportCsv(GetProgrammeFlowReportRequest request, ServerCallContext context) =>
        Csv(ReportTables.ProgrammeFlow(await ProgrammeFlowAsync(request, context)));

    public override async Task<HttpBody> GetProgrammeFlowReportXlsx(GetProgrammeFlowReportRequest request, ServerCallContext context) =>
        Xlsx(ReportTables.ProgrammeFlow(await ProgrammeFlowAsync(request, context)), "Laporan program", context);

    public override async Task<RecipientReport> GetRecipientReport(GetRecipientReportRequest request, ServerCallContext context)
    {
        var page = ReportQueries.RecipientReport.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await RecipientReportAsync(request, context, page);
        var report = new RecipientReport { NextPageToken = next };
        report.Rows.Add(rows);
        return report;
    }

    public override async Task<HttpBody> GetRecipientReportCsv(GetRecipientReportRequest request, ServerCallContext context) =>
        Csv(ReportTables.Recipients((await RecipientReportAsync(request, context, ReportQueries.RecipientReport.All)).Rows));

    public override async Task<HttpBody> GetRecipientReportXlsx(GetRecipientReportRequest request, ServerCallContext context) =>
        Xlsx(ReportTables.Recipients((await RecipientReportAsync(request, context, ReportQueries.RecipientReport.All)).Rows), "Laporan penerima", context);

    private async Task<ProgrammeFlowReport> ProgrammeFlowAsync(GetProgrammeFlowReportRequest request, ServerCallContext context)
    {
        if (!Access.ReadsEverything(context.GetCaller()))
        {
            throw new PermissionDeniedException("Programme reports are read by operators and integrators.");
        }
        new RequestValidator().Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        return (await reports.ProgrammeFlowAsync(request.ProgrammeId, context.CancellationToken)).ToProto();
    }

    private async Task<(List<RecipientReportRow> Rows, string NextPageToken)> RecipientReportAsync(GetRecipientReportRequest request,
        ServerCallContext context, KeysetPage page)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator()
            .OptionalId("recipient_id", request.RecipientId)
            .OptionalId("programme_id", request.ProgrammeId)
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, ReportQueries.RecipientReport)
            .ThrowIfInvalid();
        var (rows, next) = await reports.RecipientReportAsync(caller, scope, request, page, context.CancellationToken);
        return ([.. rows.Select(r => r.ToProto())], next);
    }

    private static HttpBody Csv(ReportTable table) =>
        new() { ContentType = ReportTable.CsvContentType, Data = ByteString.CopyFromUtf8(table.ToCsv()) };

    private static HttpBody Xlsx(ReportTable table, string sheetName, ServerCallContext context)
    {
        context.GetHttpContext().Response.Headers.ContentDisposition = $"attachment; filename=\"{sheetName.Replace(' ', '-')}.xlsx\"";
        return new() { ContentType = ReportTable.XlsxContentType, Data = ByteString.CopyFrom(table.ToXlsx(sheetName)) };
    }
}
