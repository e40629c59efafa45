using System.Globalization;
using System.Text;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
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

    public override async Task<HttpBody> GetProgrammeFlowReportCsv(GetProgrammeFlowReportRequest request, ServerCallContext context)
    {
        var report = await BuildProgrammeFlowAsync(request, context);
        var csv = new CsvWriter(
            "programme_id", "product_code", "produced_units", "accepted_units", "handed_over_units", "confirmed_units",
            "delivered_onward_units", "households", "available_units");
        foreach (var p in report.Products)
        {
            // Produced is left empty, not 0, while distribution does not know it.
            csv.Row(report.ProgrammeId, p.ProductCode, p.ProducedUnitsKnown ? Number(p.ProducedUnits) : "", Number(p.AcceptedUnits),
                Number(p.HandedOverUnits), Number(p.ConfirmedUnits), Number(p.DeliveredOnwardUnits), Number(p.Households), Number(p.AvailableUnits));
        }
        return csv.ToHttpBody();
    }

    public override async Task<RecipientReport> GetRecipientReport(GetRecipientReportRequest request, ServerCallContext context)
    {
        var pageOf = ReportQueries.RecipientReport.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, caller) = await RecipientRowsAsync(request, context, pageOf);
        var (page, next) = ReportQueries.RecipientReport.Cut(rows, pageOf);
        var report = new RecipientReport { NextPageToken = next };
        report.Rows.Add((await offices.VisibleAsync(caller, page, r => r.ProgrammeId, context.CancellationToken)).Select(r => r.ToProto()));
        return report;
    }

    public override async Task<HttpBody> GetRecipientReportCsv(GetRecipientReportRequest request, ServerCallContext context)
    {
        var (all, caller) = await RecipientRowsAsync(request, context, ReportQueries.RecipientReport.All);
        var rows = await offices.VisibleAsync(caller, all, r => r.ProgrammeId, context.CancellationToken);
        var csv = new CsvWriter(
            "recipient_id", "recipient_name", "recipient_kind", "programme_id", "product_code", "received_units",
            "delivered_onward_units", "held_units", "households", "handover_count");
        foreach (var r in rows.Select(r => r.ToProto()))
        {
            csv.Row(r.RecipientId, r.RecipientName, KindName(r.RecipientKind), r.ProgrammeId, r.ProductCode, Number(r.ReceivedUnits),
                Number(r.DeliveredOnwardUnits), Number(r.HeldUnits), Number(r.Households), Number(r.HandoverCount));
        }
        return csv.ToHttpBody();
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

        var report = new ProgrammeFlowReport { ProgrammeId = request.ProgrammeId, GeneratedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()) };
        foreach (var g in goods.OrderBy(g => g.ProductCode, StringComparer.Ordinal))
        {
            var onwardRow = onward.FirstOrDefault(o => o.ProductCode == g.ProductCode);
            report.Products.Add(new ProductFlow
            {
                ProductCode = g.ProductCode,
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

    private async Task<(List<RecipientReportRowData> Rows, Caller Caller)> RecipientRowsAsync(GetRecipientReportRequest request, ServerCallContext context, KeysetPage page)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator()
            .OptionalId("recipient_id", request.RecipientId)
            .OptionalId("programme_id", request.ProgrammeId)
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, ReportQueries.RecipientReport)
            .ThrowIfInvalid();
        var rows = await database.ReadAsync(async sql =>
        {
            if (request.RecipientId.Length > 0)
            {
                await Access.EnsureMayReadAsync(sql, caller, request.RecipientId);
            }
            return await ReportQueries.RecipientRowsAsync(sql, request.RecipientId, request.ProgrammeId, scope, page);
        }, context.CancellationToken);
        // Rows of another office's programmes are left out (after the page is cut: a page may so be short, its token still moves on).
        return (rows, caller);
    }

    /// <summary>The contract's name of a kind (RECIPIENT_KIND_HEALTH_CENTRE), as JSON shows it.</summary>
    private static string KindName(RecipientKind kind) =>
        V1.DistributionReflection.Descriptor.EnumTypes.Single(e => e.Name == nameof(RecipientKind)).FindValueByNumber((int)kind)?.Name
        ?? ((int)kind).ToString(CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 CSV in UTF-8; text that a spreadsheet would run as a formula is prefixed with an apostrophe.</summary>
    private sealed class CsvWriter
    {
        private readonly StringBuilder _text = new();

        public CsvWriter(params string[] header) => Row(header);

        public void Row(params string[] fields)
        {
            _text.Append(string.Join(',', fields.Select(Escape))).Append("\r\n");
        }

        public HttpBody ToHttpBody() =>
            new() { ContentType = "text/csv; charset=utf-8", Data = ByteString.CopyFromUtf8(_text.ToString()) };

        private static string Escape(string field)
        {
            if (field.Length > 0 && "=+-@\t\r".Contains(field[0], StringComparison.Ordinal) && !double.TryParse(field, CultureInfo.InvariantCulture, out _))
            {
                field = "'" + field;
            }
            return field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
        }
    }
}
