using System.Globalization;
using Bimtek.Distribution.V1;

namespace Bimtek.Distribution.Documents;

/// <summary>The two reports as officials' tables (<see cref="ReportTable"/>: CSV and .xlsx), with the contract's column names.</summary>
internal static class ReportTables
{
    public static ReportTable ProgrammeFlow(ProgrammeFlowReport report)
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

    public static ReportTable Recipients(IEnumerable<RecipientReportRow> rows)
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

    /// <summary>The contract's name of a kind (RECIPIENT_KIND_HEALTH_CENTRE), as JSON shows it.</summary>
    private static string KindName(RecipientKind kind) =>
        DistributionReflection.Descriptor.EnumTypes.Single(e => e.Name == nameof(RecipientKind)).FindValueByNumber((int)kind)?.Name
        ?? ((int)kind).ToString(CultureInfo.InvariantCulture);
}
