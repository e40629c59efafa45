using Bimtek.Data.Persistence;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;

namespace Bimtek.Production.Data;

/// <summary>A new inspection's row; the sign-off fields are set when the inspector signs off their own medical inspection.</summary>
internal sealed record NewInspection(
    string InspectionId,
    string ProgrammeId,
    string TraineeId,
    string ProductCode,
    int Medical,
    string TimeZone,
    int Total,
    int AcceptedUnits,
    int RejectedUnits,
    string InspectorId,
    int Role,
    int Status,
    int Accepted,
    int Awaiting,
    string Note,
    long Now,
    string? Expert,
    int? SignAccepted,
    int? SignRejected,
    string? SignNote,
    long? SignedAt);

/// <summary>
/// The writes of inspections, sign-offs and rework orders, each inside the caller's transaction. Counts change
/// only by guarded updates that answer how many rows they changed, so the workflow can tell a concurrent
/// writer from success.
/// </summary>
internal static partial class InspectionStore
{
    public static Task InsertAsync(DbSession s, NewInspection inspection) =>
        s.ExecuteAsync(
            "INSERT INTO inspections (inspection_id, programme_id, trainee_id, product_code, medical, time_zone, inspected_units, passed_units, " +
            "rejected_units, inspector_id, inspector_role, status, accepted_units, awaiting_sign_off_units, note, inspected_at, " +
            "sign_off_expert_id, sign_off_accepted, sign_off_rejected, sign_off_note, signed_off_at) VALUES (@InspectionId, @ProgrammeId, " +
            "@TraineeId, @ProductCode, @Medical, @TimeZone, @Total, @AcceptedUnits, @RejectedUnits, @InspectorId, @Role, @Status, @Accepted, " +
            "@Awaiting, @Note, @Now, @Expert, @SignAccepted, @SignRejected, @SignNote, @SignedAt)",
            inspection);

    /// <summary>Takes units of a recorded report for inspection; false when someone else took them meanwhile.</summary>
    public static async Task<bool> TakeReportUnitsAsync(DbSession s, string reportId, int units) =>
        await s.ExecuteAsync(
            "UPDATE output_reports SET inspected_units = inspected_units + @units " +
            "WHERE report_id = @reportId AND status = 'recorded' AND inspected_units + @units <= units",
            new { reportId, units }) == 1;

    public static Task InsertShareAsync(DbSession s, string inspectionId, ReportShare share, int awaiting, int position) =>
        s.ExecuteAsync(
            "INSERT INTO inspection_reports (inspection_id, report_id, units, passed_units, rejected_units, accepted_units, awaiting_units, position) " +
            "VALUES (@inspectionId, @ReportId, @Units, @Passed, @Rejected, @accepted, @awaiting, @position)",
            new { inspectionId, share.ReportId, share.Units, share.Passed, share.Rejected, accepted = share.Passed - awaiting, awaiting, position });

    public static async Task InsertDefectsAsync(DbSession s, string inspectionId, string stage, IEnumerable<DefectCount> defects)
    {
        foreach (var defect in defects)
        {
            await s.ExecuteAsync(
                "INSERT INTO inspection_defects (inspection_id, stage, defect_code, units) VALUES (@inspectionId, @stage, @DefectCode, @Units)",
                new { inspectionId, stage, defect.DefectCode, defect.Units });
        }
    }

    /// <summary>The named reports, oldest first, locked for this transaction.</summary>
    public static async Task<List<ReportRow>> LockReportsAsync(DbSession s, IReadOnlyCollection<string> reportIds) =>
        (await s.QueryAsync<ReportRow>(
            $"SELECT {ReportRow.Columns} FROM output_reports WHERE report_id {s.Dialect.InList("ids")} ORDER BY reported_at, report_id{s.ForUpdate}",
            new { ids = reportIds.ToArray() })).ToList();

    /// <summary>A trainee's recorded reports of one day with units left to inspect, oldest first, locked for this transaction.</summary>
    public static async Task<List<ReportRow>> LockOpenReportsOfDayAsync(DbSession s, string programmeId, string traineeId, string day) =>
        (await s.QueryAsync<ReportRow>(
            $"SELECT {ReportRow.Columns} FROM output_reports WHERE programme_id = @programmeId AND trainee_id = @traineeId AND day = @day " +
            $"AND status = 'recorded' AND inspected_units < units ORDER BY reported_at, report_id{s.ForUpdate}",
            new { programmeId, traineeId, day })).ToList();

    public static async Task<List<InspectionReportRow>> SharesAsync(DbSession s, string inspectionId) =>
        (await s.QueryAsync<InspectionReportRow>(
            "SELECT report_id AS ReportId, awaiting_units AS AwaitingUnits, position AS Position FROM inspection_reports " +
            "WHERE inspection_id = @inspectionId ORDER BY position", new { inspectionId })).ToList();

    /// <summary>Settles one report's units that awaited the health expert.</summary>
    public static Task SettleShareAsync(DbSession s, string inspectionId, string reportId, int accepted, int rejected) =>
        s.ExecuteAsync(
            "UPDATE inspection_reports SET accepted_units = accepted_units + @accepted, rejected_units = rejected_units + @rejected, awaiting_units = 0 " +
            "WHERE inspection_id = @inspectionId AND report_id = @reportId",
            new { inspectionId, reportId, accepted, rejected });

    /// <summary>Records the health expert's sign-off; false when it was signed off by someone else meanwhile.</summary>
    public static async Task<bool> MarkSignedOffAsync(DbSession s, string inspectionId, int awaiting, string expertId, int accepted, int rejected, string note, long now) =>
        await s.ExecuteAsync(
            "UPDATE inspections SET status = @status, accepted_units = accepted_units + @accepted, awaiting_sign_off_units = 0, " +
            "sign_off_expert_id = @expertId, sign_off_accepted = @accepted, sign_off_rejected = @rejected, sign_off_note = @note, signed_off_at = @now " +
            "WHERE inspection_id = @inspectionId AND awaiting_sign_off_units = @awaiting",
            new { status = (int)InspectionStatus.SignedOff, accepted, expertId, rejected, note, now, inspectionId, awaiting }) == 1;

    /// <summary>Counts rejected units as sent back for rework; false when that would exceed the rejected units (a concurrent send-back).</summary>
    public static async Task<bool> MarkSentBackAsync(DbSession s, string inspectionId, int units, long rejected) =>
        await s.ExecuteAsync(
            "UPDATE inspections SET sent_back_units = sent_back_units + @units WHERE inspection_id = @inspectionId AND sent_back_units + @units <= @rejected",
            new { units, inspectionId, rejected }) == 1;

    public static Task InsertReworkOrderAsync(DbSession s, ReworkOrderRow order) =>
        s.ExecuteAsync(
            "INSERT INTO rework_orders (rework_order_id, inspection_id, programme_id, trainee_id, units, reworked_units, note, created_at) " +
            "VALUES (@ReworkOrderId, @InspectionId, @ProgrammeId, @TraineeId, @Units, 0, @Note, @CreatedAt)", order);
}
