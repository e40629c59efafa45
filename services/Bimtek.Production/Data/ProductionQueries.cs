using Bimtek.Data.Persistence;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Dapper;

namespace Bimtek.Production.Data;

/// <summary>Read side: lists with pages and the figures per day and programme.</summary>
internal sealed class ProductionQueries(Database database)
{
    public async Task<(IReadOnlyList<ReportRow> Rows, bool More)> ListReportsAsync(
        string programmeId, string traineeId, string? day, string? status, int pageSize, int offset, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await c.QueryAsync<ReportRow>(new CommandDefinition(
            $"SELECT {ReportRow.Columns} FROM output_reports WHERE (@programmeId = '' OR programme_id = @programmeId) " +
            "AND (@traineeId = '' OR trainee_id = @traineeId) AND (@day = '' OR day = @day) AND (@status = '' OR status = @status) " +
            "ORDER BY reported_at DESC, report_id DESC LIMIT @limit OFFSET @offset",
            new { programmeId, traineeId, day = day ?? "", status = status ?? "", limit = pageSize + 1, offset }, cancellationToken: cancellationToken))).ToList();
        return (rows.Take(pageSize).ToList(), rows.Count > pageSize);
    }

    /// <summary>A programme a trainee reported in, to resolve the trainee's identity for access checks.</summary>
    public async Task<string?> AnyProgrammeOfTraineeAsync(string traineeId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        return await c.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "SELECT programme_id FROM output_reports WHERE trainee_id = @traineeId LIMIT 1", new { traineeId }, cancellationToken: cancellationToken));
    }

    public async Task<(IReadOnlyList<Inspection> Items, bool More)> ListInspectionsAsync(
        string programmeId, string traineeId, string? day, InspectionStatus status, int pageSize, int offset, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await c.QueryAsync<InspectionRow>(new CommandDefinition(
            $"SELECT {InspectionRow.Columns} FROM inspections i WHERE (@programmeId = '' OR programme_id = @programmeId) " +
            "AND (@traineeId = '' OR trainee_id = @traineeId) AND (@status = 0 OR status = @status) " +
            "AND (@day = '' OR EXISTS (SELECT 1 FROM inspection_reports ir JOIN output_reports r ON r.report_id = ir.report_id " +
            "WHERE ir.inspection_id = i.inspection_id AND r.day = @day)) " +
            "ORDER BY inspected_at DESC, inspection_id DESC LIMIT @limit OFFSET @offset",
            new { programmeId, traineeId, day = day ?? "", status = (int)status, limit = pageSize + 1, offset }, cancellationToken: cancellationToken))).ToList();
        var page = rows.Take(pageSize).ToList();
        return (await InspectionStore.MapAsync(c, null, page), rows.Count > pageSize);
    }

    public async Task<Inspection?> GetInspectionAsync(string inspectionId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        var row = await InspectionStore.FindAsync(c, null, inspectionId);
        return row is null ? null : (await InspectionStore.MapAsync(c, null, [row]))[0];
    }

    public async Task<(IReadOnlyList<ReworkOrderRow> Rows, bool More)> ListReworkOrdersAsync(
        string programmeId, string traineeId, bool openOnly, int pageSize, int offset, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await c.QueryAsync<ReworkOrderRow>(new CommandDefinition(
            $"SELECT {ReworkOrderRow.Columns} FROM rework_orders WHERE (@programmeId = '' OR programme_id = @programmeId) " +
            "AND (@traineeId = '' OR trainee_id = @traineeId) AND (@openOnly = 0 OR reworked_units < units) " +
            "ORDER BY created_at, rework_order_id LIMIT @limit OFFSET @offset",
            new { programmeId, traineeId, openOnly = openOnly ? 1 : 0, limit = pageSize + 1, offset }, cancellationToken: cancellationToken))).ToList();
        return (rows.Take(pageSize).ToList(), rows.Count > pageSize);
    }

    /// <summary>Figures per report day for a programme, optionally one trainee (days without output are absent).</summary>
    public async Task<IReadOnlyDictionary<string, DailyOutput>> DailyAsync(string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        var reported = await c.QueryAsync<DayFigures>(new CommandDefinition(
            "SELECT day AS Day, " +
            "CAST(COALESCE(SUM(CASE WHEN rework_order_id = '' THEN units ELSE 0 END), 0) AS BIGINT) AS Reported, " +
            "CAST(COALESCE(SUM(units - inspected_units), 0) AS BIGINT) AS AwaitingInspection " +
            "FROM output_reports WHERE programme_id = @programmeId AND (@traineeId = '' OR trainee_id = @traineeId) AND status = 'recorded' GROUP BY day",
            new { programmeId, traineeId }, cancellationToken: cancellationToken));
        var inspected = await c.QueryAsync<DayFigures>(new CommandDefinition(
            "SELECT r.day AS Day, CAST(COALESCE(SUM(ir.accepted_units), 0) AS BIGINT) AS Accepted, " +
            "CAST(COALESCE(SUM(ir.rejected_units), 0) AS BIGINT) AS Rejected, CAST(COALESCE(SUM(ir.awaiting_units), 0) AS BIGINT) AS AwaitingSignOff " +
            "FROM inspection_reports ir JOIN output_reports r ON r.report_id = ir.report_id " +
            "WHERE r.programme_id = @programmeId AND (@traineeId = '' OR r.trainee_id = @traineeId) GROUP BY r.day",
            new { programmeId, traineeId }, cancellationToken: cancellationToken));
        var days = new Dictionary<string, DailyOutput>(StringComparer.Ordinal);
        DailyOutput For(string day) => days.TryGetValue(day, out var d) ? d : days[day] = new DailyOutput { Day = DayRules.ToDate(day) };
        foreach (var f in reported)
        {
            var d = For(f.Day);
            d.ReportedUnits = (int)f.Reported;
            d.AwaitingInspectionUnits = (int)f.AwaitingInspection;
        }
        foreach (var f in inspected)
        {
            var d = For(f.Day);
            d.AcceptedUnits = (int)f.Accepted;
            d.RejectedUnits = (int)f.Rejected;
            d.AwaitingSignOffUnits = (int)f.AwaitingSignOff;
        }
        return days;
    }

    public async Task<ProgrammeTotals> TotalsAsync(string programmeId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        var t = await c.QuerySingleAsync<TotalFigures>(new CommandDefinition(
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
            new { programmeId }, cancellationToken: cancellationToken));
        return new ProgrammeTotals
        {
            ProgrammeId = programmeId,
            ReportedUnits = (int)t.Reported,
            InspectedUnits = (int)t.Inspected,
            AcceptedUnits = (int)t.Accepted,
            // Rejected units that came back as rework are awaiting inspection again.
            RejectedUnits = (int)Math.Max(0, t.Rejected - t.Reworked),
            AwaitingInspectionUnits = (int)t.AwaitingInspection,
            AwaitingSignOffUnits = (int)t.AwaitingSignOff,
            PendingReports = (int)t.Pending,
            RefusedUnits = (int)t.Refused,
        };
    }

    public async Task<IReadOnlyList<DefectCount>> DefectCountsAsync(string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        var rows = await c.QueryAsync<(string Code, long Units, string? Label)>(new CommandDefinition(
            "SELECT d.defect_code, CAST(SUM(d.units) AS BIGINT), MAX(dc.label) FROM inspection_defects d " +
            "JOIN inspections i ON i.inspection_id = d.inspection_id " +
            "LEFT JOIN defect_codes dc ON dc.product_code = i.product_code AND dc.code = d.defect_code " +
            "WHERE i.programme_id = @programmeId AND (@traineeId = '' OR i.trainee_id = @traineeId) " +
            "GROUP BY d.defect_code ORDER BY 2 DESC, d.defect_code",
            new { programmeId, traineeId }, cancellationToken: cancellationToken));
        return rows.Select(r => new DefectCount { DefectCode = r.Code, Units = (int)r.Units, Label = r.Label ?? "" }).ToList();
    }

    private sealed class DayFigures
    {
        public string Day { get; set; } = "";
        public long Reported { get; set; }
        public long AwaitingInspection { get; set; }
        public long Accepted { get; set; }
        public long Rejected { get; set; }
        public long AwaitingSignOff { get; set; }
    }

    private sealed class TotalFigures
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
    }
}
