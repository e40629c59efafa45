using Bimtek.Data.Persistence;
using Bimtek.Production.V1;

namespace Bimtek.Production.Data;

/// <summary>Read side: lists with pages and the figures per day and programme.</summary>
internal sealed class ProductionQueries(Database database)
{
    /// <summary>Output reports, newest first.</summary>
    public static Keyset<ReportRow> Reports { get; } = new Keyset<ReportRow>("production.output-reports")
        .Descending("reported_at", r => r.ReportedAt).Descending("report_id", r => r.ReportId);

    /// <summary>Inspections, newest first.</summary>
    public static Keyset<InspectionRow> Inspections { get; } = new Keyset<InspectionRow>("production.inspections")
        .Descending("i.inspected_at", i => i.InspectedAt).Descending("i.inspection_id", i => i.InspectionId);

    /// <summary>Rework orders, oldest first.</summary>
    public static Keyset<ReworkOrderRow> ReworkOrders { get; } = new Keyset<ReworkOrderRow>("production.rework-orders")
        .Ascending("created_at", o => o.CreatedAt).Ascending("rework_order_id", o => o.ReworkOrderId);

    /// <summary>One page of <see cref="Reports"/> and the token of the next.</summary>
    public async Task<(IReadOnlyList<ReportRow> Rows, string NextPageToken)> ListReportsAsync(
        string programmeId, string traineeId, string? day, string? status, KeysetPage page, CancellationToken cancellationToken)
    {
        return Reports.Cut(await database.ReadAsync(s => s.QueryAsync<ReportRow>(
            $"SELECT {ReportRow.Columns} FROM output_reports WHERE (@programmeId = '' OR programme_id = @programmeId) " +
            "AND (@traineeId = '' OR trainee_id = @traineeId) AND (@day = '' OR day = @day) AND (@status = '' OR status = @status) " +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, traineeId, day = day ?? "", status = status ?? "" })), cancellationToken), page);
    }

    /// <summary>A programme a trainee reported in, to resolve the trainee's identity for access checks.</summary>
    public Task<string?> AnyProgrammeOfTraineeAsync(string traineeId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QueryFirstOrDefaultAsync<string>(
            "SELECT programme_id FROM output_reports WHERE trainee_id = @traineeId LIMIT 1", new { traineeId }), cancellationToken);

    /// <summary>One page of <see cref="Inspections"/> and the token of the next.</summary>
    public async Task<(IReadOnlyList<StoredInspection> Items, string NextPageToken)> ListInspectionsAsync(
        string programmeId, string traineeId, string? day, InspectionStatus status, KeysetPage page, CancellationToken cancellationToken)
    {
        return await database.ReadAsync(async s =>
        {
            var (rows, next) = Inspections.Cut(await s.QueryAsync<InspectionRow>(
                $"SELECT {InspectionRow.Columns} FROM inspections i WHERE (@programmeId = '' OR programme_id = @programmeId) " +
                "AND (@traineeId = '' OR trainee_id = @traineeId) AND (@status = 0 OR status = @status) " +
                "AND (@day = '' OR EXISTS (SELECT 1 FROM inspection_reports ir JOIN output_reports r ON r.report_id = ir.report_id " +
                "WHERE ir.inspection_id = i.inspection_id AND r.day = @day)) " +
                $"AND {page.After} {page.OrderAndLimit}",
                page.With(new { programmeId, traineeId, day = day ?? "", status = (int)status })), page);
            return (await InspectionStore.WithPartsAsync(s, rows), next);
        }, cancellationToken);
    }

    public async Task<StoredInspection?> GetInspectionAsync(string inspectionId, CancellationToken cancellationToken)
    {
        return await database.ReadAsync(async s =>
        {
            var row = await InspectionStore.FindAsync(s, inspectionId);
            return row is null ? null : (await InspectionStore.WithPartsAsync(s, [row]))[0];
        }, cancellationToken);
    }

    /// <summary>One page of <see cref="ReworkOrders"/> and the token of the next.</summary>
    public async Task<(IReadOnlyList<ReworkOrderRow> Rows, string NextPageToken)> ListReworkOrdersAsync(
        string programmeId, string traineeId, bool openOnly, KeysetPage page, CancellationToken cancellationToken)
    {
        return ReworkOrders.Cut(await database.ReadAsync(s => s.QueryAsync<ReworkOrderRow>(
            $"SELECT {ReworkOrderRow.Columns} FROM rework_orders WHERE (@programmeId = '' OR programme_id = @programmeId) " +
            "AND (@traineeId = '' OR trainee_id = @traineeId) AND (@openOnly = 0 OR reworked_units < units) " +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, traineeId, openOnly = openOnly ? 1 : 0 })), cancellationToken), page);
    }

    /// <summary>Figures per report day for a programme, optionally one trainee (days without output are absent).</summary>
    public async Task<IReadOnlyDictionary<string, DayFigures>> DailyAsync(string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        return await database.ReadAsync(async s =>
        {
            var reported = await s.QueryAsync<DayFigures>(
                "SELECT day AS Day, " +
                "CAST(COALESCE(SUM(CASE WHEN rework_order_id = '' THEN units ELSE 0 END), 0) AS BIGINT) AS Reported, " +
                "CAST(COALESCE(SUM(units - inspected_units), 0) AS BIGINT) AS AwaitingInspection " +
                "FROM output_reports WHERE programme_id = @programmeId AND (@traineeId = '' OR trainee_id = @traineeId) AND status = 'recorded' GROUP BY day",
                new { programmeId, traineeId });
            var inspected = await s.QueryAsync<DayFigures>(
                "SELECT r.day AS Day, CAST(COALESCE(SUM(ir.accepted_units), 0) AS BIGINT) AS Accepted, " +
                "CAST(COALESCE(SUM(ir.rejected_units), 0) AS BIGINT) AS Rejected, CAST(COALESCE(SUM(ir.awaiting_units), 0) AS BIGINT) AS AwaitingSignOff " +
                "FROM inspection_reports ir JOIN output_reports r ON r.report_id = ir.report_id " +
                "WHERE r.programme_id = @programmeId AND (@traineeId = '' OR r.trainee_id = @traineeId) GROUP BY r.day",
                new { programmeId, traineeId });
            var days = new Dictionary<string, DayFigures>(StringComparer.Ordinal);
            DayFigures For(string day) => days.TryGetValue(day, out var d) ? d : days[day] = new DayFigures { Day = day };
            foreach (var f in reported)
            {
                var d = For(f.Day);
                d.Reported = f.Reported;
                d.AwaitingInspection = f.AwaitingInspection;
            }
            foreach (var f in inspected)
            {
                var d = For(f.Day);
                d.Accepted = f.Accepted;
                d.Rejected = f.Rejected;
                d.AwaitingSignOff = f.AwaitingSignOff;
            }
            return days;
        }, cancellationToken);
    }

    public Task<TotalFigures> TotalsAsync(string programmeId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync<TotalFigures>(
                "SELECT " +
                "(SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM output_reports WHERE programme_id = @programmeId AND status = 'recorded' AND rework_order_id = '') AS Reported, " +
                "(SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM output_reports WHERE programme_id = @programmeId AND status = 'recorded' AND rework_order_id <> '') AS Reworked, " +
                "(SELECT CAST(COALESCE(SUM(units - inspected_units), 0) AS BIGINT) FROM output_reports WHERE programme_id = @programmeId AND status = 'recorded') AS AwaitingInspection, " +
                "(SELECT CAST(COUNT(*) AS BIGINT) FROM output_reports WHERE programme_id = @programmeId AND status = 'pending') AS Pending, " +
                "(SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM output_reports WHERE programme_id = @programmeId AND status = 'rejected') AS Refused, " +
                "(SELECT CAST(COALESCE(SUM(inspected_units), 0) AS BIGINT) FROM inspections WHERE programme_id = @programmeId) AS Inspected, " +
                "(SELECT CAST(COALESCE(SUM(accepted_units), 0) AS BIGINT) FROM inspections WHERE programme_id = @programmeId) AS Accepted, " +
                "(SELECT CAST(COALESCE(SUM(rejected_units + COALESCE(sign_off_rejected, 0)), 0) AS BIGINT) FROM inspections WHERE programme_id = @programmeId) AS Rejected, " +
                "(SELECT CAST(COALESCE(SUM(awaiting_sign_off_units), 0) AS BIGINT) FROM inspections WHERE programme_id = @programmeId) AS AwaitingSignOff",
                new { programmeId }), cancellationToken);

    /// <summary>Units per defect code, most first, with the code's label on the product's checklist.</summary>
    public async Task<IReadOnlyList<DefectTally>> DefectCountsAsync(string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        return await database.ReadAsync(async s =>
        {
            var rows = await s.QueryAsync<(string Code, long Units, string? Label)>(
                "SELECT d.defect_code, CAST(SUM(d.units) AS BIGINT), MAX(dc.label) FROM inspection_defects d " +
                "JOIN inspections i ON i.inspection_id = d.inspection_id " +
                "LEFT JOIN defect_codes dc ON dc.product_code = i.product_code AND dc.code = d.defect_code " +
                "WHERE i.programme_id = @programmeId AND (@traineeId = '' OR i.trainee_id = @traineeId) " +
                "GROUP BY d.defect_code ORDER BY 2 DESC, d.defect_code",
                new { programmeId, traineeId });
            return rows.Select(r => new DefectTally(r.Code, r.Units, r.Label ?? "")).ToList();
        }, cancellationToken);
    }
}

/// <summary>One report day's figures: recorded (first reports, not rework) and awaiting inspection, then the inspections' outcome.</summary>
internal sealed class DayFigures
{
    public string Day { get; set; } = "";
    public long Reported { get; set; }
    public long AwaitingInspection { get; set; }
    public long Accepted { get; set; }
    public long Rejected { get; set; }
    public long AwaitingSignOff { get; set; }
}

/// <summary>A programme's totals as counted: rework units apart from first reports, refused ones apart from recorded ones.</summary>
internal sealed class TotalFigures
{
    public long Reported { get; set; }
    public long Reworked { get; set; }
    public long AwaitingInspection { get; set; }
    public long Pending { get; set; }
    public long Refused { get; set; }
    public long Inspected { get; set; }
    public long Accepted { get; set; }
    public long Rejected { get; set; }
    public long AwaitingSignOff { get; set; }

    /// <summary>Rejected units less those that came back as rework: those are awaiting inspection again.</summary>
    public long RejectedNotReworked => Math.Max(0, Rejected - Reworked);
}

/// <summary>Units found with one defect code, and the code's label (empty when the code is on no checklist).</summary>
internal sealed record DefectTally(string Code, long Units, string Label);
