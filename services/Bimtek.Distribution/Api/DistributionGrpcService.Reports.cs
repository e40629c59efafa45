using System.Globalization;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Documents;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
    public override async Task<ProgrammeFlowReport> GetProgrammeFlowReport(GetProgrammeFlowReportRequest request, ServerCallContext context) =>
        await BuildProgrammeFlowAsync(request, context);

    public override async Task<HttpBody> GetProgrammeFlowReportCsv(GetProgrammeFlowReportRequest request, ServerCallContext context) =>
        Csv(ProgrammeFlowTable(await BuildProgrammeFlowAsync(request, context)));

    public override async Task<HttpBody> GetProgrammeFlowReportXlsx(GetProgrammeFlowReportRequest request, ServerCallContext context) =>
        Xlsx(ProgrammeFlowTable(await BuildProgrammeFlowAsync(request, context)), "Laporan program", context);

    public override async Task<RecipientReport> GetRecipientReport(GetRecipientReportRequest request, ServerCallContext context)
    {
        var pageOf = ReportQueries.RecipientReport.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (page, next) = ReportQueries.RecipientReport.Cut(await RecipientRowsAsync(request, context, pageOf), pageOf);
        var report = new RecipientReport { NextPageToken = next };
        report.Rows.Add(await NamedAsync(await VisibleAsync(page, context), context));
        return report;
    }

    public override async Task<HttpBody> GetRecipientReportCsv(GetRecipientReportRequest request, ServerCallContext context) =>
        Csv(RecipientTable(await NamedAsync(await VisibleAsync(await RecipientRowsAsync(request, context, ReportQueries.RecipientReport.All), context), context)));

    public override async Task<HttpBody> GetRecipientReportXlsx(GetRecipientReportRequest request, ServerCallContext context) =>
        Xlsx(RecipientTable(await NamedAsync(await VisibleAsync(await RecipientRowsAsync(request, context, ReportQueries.RecipientReport.All), context), context)),
            "Laporan penerima", context);

    private static ReportTable ProgrammeFlowTable(ProgrammeFlowReport report)
    {
        var table = new ReportTable(
            "programme_id", "programme_code", "programme_title", "product_code", "product_name", "produced_units", "accepted_units",
            "handed_over_units", "confirmed_units", "delivered_onward_units", "households", "available_units");
        foreach (var p in report.Products)
        {
            // Produced is left empty, not 0, while distribution does not know it.
            table.Row(report.ProgrammeId, report.ProgrammeCode, report.ProgrammeTitle, p.ProductCode, p.ProductName,
                p.ProducedUnitsKnown ? p.ProducedUnits : ReportCell.Empty, p.AcceptedUnits, p.HandedOverUnits, p.ConfirmedUnits,
                p.DeliveredOnwardUnits, p.Households, p.AvailableUnits);
        }
        return table;
    }

    private static ReportTable RecipientTable(IEnumerable<RecipientReportRow> rows)
    {
        var table = new ReportTable(
            "recipient_id", "recipient_name", "recipient_kind", "programme_id", "programme_code", "programme_title", "product_code",
            "product_name", "received_units", "delivered_onward_units", "held_units", "households", "handover_count");
        foreach (var r in rows)
        {
            table.Row(r.RecipientId, r.RecipientName, KindName(r.RecipientKind), r.ProgrammeId, r.ProgrammeCode, r.ProgrammeTitle, r.ProductCode,
                r.ProductName, r.ReceivedUnits, r.DeliveredOnwardUnits, r.HeldUnits, r.Households, r.HandoverCount);
        }
        return table;
    }

    /// <summary>Report rows with the programmes' and products' names.</summary>
    private async Task<List<RecipientReportRow>> NamedAsync(IReadOnlyList<RecipientReportRowData> rows, ServerCallContext context)
    {
        var (programmes, products) = await catalogue.ForReportAsync(
            rows.Select(r => r.ProgrammeId).Distinct().ToList(), rows.Select(r => r.ProductCode).Distinct().ToList(), context.CancellationToken);
        return [.. rows.Select(row =>
        {
            var proto = row.ToProto();
            if (programmes.TryGetValue(row.ProgrammeId, out var programme))
            {
                proto.ProgrammeCode = programme.Code;
                proto.ProgrammeTitle = programme.Title;
            }
            proto.ProductName = products.GetValueOrDefault(row.ProductCode) ?? "";
            return proto;
        })];
    }

    private static HttpBody Csv(ReportTable table) =>
        new() { ContentType = ReportTable.CsvContentType, Data = ByteString.CopyFromUtf8(table.ToCsv()) };

    private static HttpBody Xlsx(ReportTable table, string sheetName, ServerCallContext context)
    {
        context.GetHttpContext().Response.Headers.ContentDisposition = $"attachment; filename=\"{sheetName.Replace(' ', '-')}.xlsx\"";
        return new() { ContentType = ReportTable.XlsxContentType, Data = ByteString.CopyFrom(table.ToXlsx(sheetName)) };
    }

    private async Task<ProgrammeFlowReport> BuildProgrammeFlowAsync(GetProgrammeFlowReportRequest request, ServerCallContext context)
    {
        if (!Access.ReadsEverything(context.GetCaller()))
        {
            throw new PermissionDeniedException("Programme reports are read by operators and integrators.");
        }
        new RequestValidator().Id("programme_id", request.ProgrammeId).ThrowIfInvalid();

        var (goods, confirmed, onward) = await database.ReadAsync(async sql => (
            await ReportQueries.ProgrammeGoodsAsync(sql, request.ProgrammeId),
            await ReportQueries.ConfirmedAsync(sql, request.ProgrammeId),
            await ReportQueries.DeliveredOnwardAsync(sql, request.ProgrammeId)), context.CancellationToken);
        // Distribution knows a programme from the goods production passed on (handovers need them): none, no programme here.
        if (goods.Count == 0)
        {
            throw new NotFoundException("programme", request.ProgrammeId);
        }

        var (programmes, products) = await catalogue.ForReportAsync(
            [request.ProgrammeId], goods.Select(g => g.ProductCode).ToList(), context.CancellationToken);
        var report = new ProgrammeFlowReport { ProgrammeId = request.ProgrammeId, GeneratedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()) };
        if (programmes.TryGetValue(request.ProgrammeId, out var programme))
        {
            report.ProgrammeCode = programme.Code;
            report.ProgrammeTitle = programme.Title;
        }
        foreach (var g in goods.OrderBy(g => g.ProductCode, StringComparer.Ordinal))
        {
            var onwardRow = onward.FirstOrDefault(o => o.ProductCode == g.ProductCode);
            report.Products.Add(new ProductFlow
            {
                ProductCode = g.ProductCode,
                ProductName = products.GetValueOrDefault(g.ProductCode) ?? "",
                // Production's accepted-goods effect carries no produced (reported) figure.
                ProducedUnits = 0,
                ProducedUnitsKnown = false,
                AcceptedUnits = checked((int)g.ReceivedUnits),
                HandedOverUnits = checked((int)g.HandedOverUnits),
                ConfirmedUnits = checked((int)(confirmed.FirstOrDefault(c => c.ProductCode == g.ProductCode)?.Units ?? 0)),
                DeliveredOnwardUnits = checked((int)(onwardRow?.Units ?? 0)),
                Households = checked((int)(onwardRow?.Households ?? 0)),
                AvailableUnits = checked((int)(g.ReceivedUnits - g.HandedOverUnits)),
            });
        }
        return report;
    }

    private async Task<List<RecipientReportRowData>> RecipientRowsAsync(GetRecipientReportRequest request, ServerCallContext context, KeysetPage page)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator()
            .OptionalId("recipient_id", request.RecipientId)
            .OptionalId("programme_id", request.ProgrammeId)
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, ReportQueries.RecipientReport)
            .ThrowIfInvalid();
        return await database.ReadAsync(async sql =>
        {
            if (request.RecipientId.Length > 0)
            {
                await Access.EnsureMayReadAsync(sql, caller, request.RecipientId);
            }
            return await ReportQueries.RecipientRowsAsync(sql, request.RecipientId, request.ProgrammeId, scope, page);
        }, context.CancellationToken);
    }

    /// <summary>Rows of another office's programmes are left out, after the page is cut: a page may so be short, its token still moves on.</summary>
    private Task<List<RecipientReportRowData>> VisibleAsync(IReadOnlyList<RecipientReportRowData> rows, ServerCallContext context) =>
        offices.VisibleAsync(context.GetCaller(), rows, r => r.ProgrammeId, context.CancellationToken);

    /// <summary>The contract's name of a kind (RECIPIENT_KIND_HEALTH_CENTRE), as JSON shows it.</summary>
    private static string KindName(RecipientKind kind) =>
        V1.DistributionReflection.Descriptor.EnumTypes.Single(e => e.Name == nameof(RecipientKind)).FindValueByNumber((int)kind)?.Name
        ?? ((int)kind).ToString(CultureInfo.InvariantCulture);
}
