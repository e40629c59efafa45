using Bimtek.Coordinator.V1;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Production.Data;

/// <summary>
/// The SQL of output reports: reads, the PENDING insert, the lease (claim and release) and the two
/// settling writes. Each write on the acknowledged path is ONE statement committed on its own (one
/// round trip on PostgreSQL): the PENDING insert, and RECORDED together with the coordinator's
/// outbox row (<see cref="OutboxWriter.EnqueueIfChangedAsync"/>).
/// </summary>
internal sealed class ReportStore(Database database, OutboxWriter outbox)
{
    public Task<ReportRow?> FindByRequestAsync(string requestId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleOrDefaultAsync<ReportRow>(
            $"SELECT {ReportRow.Columns} FROM output_reports WHERE request_id = @requestId", new { requestId }), cancellationToken);

    public async Task<ReportRow> GetAsync(string reportId, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QuerySingleOrDefaultAsync<ReportRow>(
            $"SELECT {ReportRow.Columns} FROM output_reports WHERE report_id = @reportId", new { reportId }), cancellationToken)
        ?? throw new NotFoundException("output report", reportId);

    /// <summary>Stores a new report (PENDING with this attempt's lease); 0 when its request_id is already stored.</summary>
    public Task<int> InsertAsync(ReportRow report, long leaseUntil, CancellationToken cancellationToken) =>
        database.ExecuteAsync(InsertSql, InsertParameters(report, leaseUntil), cancellationToken);

    /// <summary>Stores a new report inside a transaction (rework: RECORDED with its order and outbox row).</summary>
    public static Task<int> InsertAsync(DbSession session, ReportRow report, long leaseUntil) =>
        session.ExecuteAsync(InsertSql, InsertParameters(report, leaseUntil));

    /// <summary>Takes the lease of a PENDING report nobody holds; false when another attempt holds it or it is settled.</summary>
    public async Task<bool> ClaimAsync(string reportId, long now, long leaseUntil, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE output_reports SET lease_until = @leaseUntil, attempts = attempts + 1 " +
            "WHERE report_id = @reportId AND status = 'pending' AND lease_until <= @now",
            new { reportId, now, leaseUntil }, cancellationToken) == 1;

    /// <summary>Gives the lease back with a back-off (the outcome of consumption is unknown).</summary>
    public Task ReleaseAsync(string reportId, long nextAttemptAt) =>
        database.ExecuteAsync(
            "UPDATE output_reports SET lease_until = 0, next_attempt_at = @nextAttemptAt WHERE report_id = @reportId AND status = 'pending'",
            new { reportId, nextAttemptAt }, CancellationToken.None);

    /// <summary>pending → recorded and the coordinator's outbox row, in one commit; false when it was no longer pending.</summary>
    public Task<bool> RecordAsync(ReportRow report, long settledAt, ApplyOutputRecordedRequest effect) =>
        outbox.EnqueueIfChangedAsync(
            database,
            "UPDATE output_reports SET status = 'recorded', settled_at = @settledAt, lease_until = 0, product_id = @ProductId, medical = @Medical " +
            "WHERE report_id = @ReportId AND status = 'pending'",
            new { report.ReportId, report.ProductId, report.Medical, settledAt },
            OutboxNames.CoordinatorOutput, effect, CancellationToken.None);

    /// <summary>pending → rejected with materials' reason.</summary>
    public Task RejectAsync(string reportId, string reason, string details, long settledAt) =>
        database.ExecuteAsync(
            "UPDATE output_reports SET status = 'rejected', rejection_reason = @reason, rejection_details = @details, settled_at = @settledAt, lease_until = 0 " +
            "WHERE report_id = @reportId AND status = 'pending'",
            new { reportId, reason, details, settledAt }, CancellationToken.None);

    /// <summary>A rework order with its inspection's medical flag, locked for this transaction.</summary>
    public static Task<ReworkOrderRow?> ReworkOrderForUpdateAsync(DbSession session, string reworkOrderId) =>
        session.QuerySingleOrDefaultAsync<ReworkOrderRow>(
            "SELECT o.rework_order_id AS ReworkOrderId, o.inspection_id AS InspectionId, o.programme_id AS ProgrammeId, o.trainee_id AS TraineeId, " +
            "o.units AS Units, o.reworked_units AS ReworkedUnits, o.note AS Note, o.created_at AS CreatedAt, i.medical AS Medical " +
            "FROM rework_orders o JOIN inspections i ON i.inspection_id = o.inspection_id WHERE o.rework_order_id = @id" + session.ForUpdate,
            new { id = reworkOrderId });

    /// <summary>Adds reworked units to an order, never past its units; false when it has fewer open units.</summary>
    public static async Task<bool> AddReworkedUnitsAsync(DbSession session, string reworkOrderId, long units) =>
        await session.ExecuteAsync(
            "UPDATE rework_orders SET reworked_units = reworked_units + @units WHERE rework_order_id = @id AND reworked_units + @units <= units",
            new { units, id = reworkOrderId }) == 1;

    private const string InsertSql =
        "INSERT INTO output_reports (report_id, request_id, request_hash, programme_id, trainee_id, product_code, product_id, medical, time_zone, " +
        "day, units, note, photo_url, rework_order_id, status, reported_by, reported_at, settled_at, lease_until, next_attempt_at) VALUES " +
        "(@ReportId, @RequestId, @RequestHash, @ProgrammeId, @TraineeId, @ProductCode, @ProductId, @Medical, @TimeZone, @Day, @Units, @Note, " +
        "@PhotoUrl, @ReworkOrderId, @Status, @ReportedBy, @ReportedAt, @SettledAt, @leaseUntil, 0) ON CONFLICT (request_id) DO NOTHING";

    private static object InsertParameters(ReportRow r, long leaseUntil) => new
    {
        r.ReportId,
        r.RequestId,
        r.RequestHash,
        r.ProgrammeId,
        r.TraineeId,
        r.ProductCode,
        r.ProductId,
        r.Medical,
        r.TimeZone,
        r.Day,
        r.Units,
        r.Note,
        r.PhotoUrl,
        r.ReworkOrderId,
        r.Status,
        r.ReportedBy,
        r.ReportedAt,
        r.SettledAt,
        leaseUntil,
    };
}
