using Bimtek.Data.Persistence;

namespace Bimtek.Materials.Data;

/// <summary>
/// The consumption of output reports: one row per report id (its unique key makes a report consumed once,
/// whichever request_id carries it), with the BOM version it used and its movement.
/// </summary>
internal static class ConsumptionStore
{
    /// <summary>The product (which BOM version is current) and the trainee's home, in one round trip.</summary>
    public static async Task<(ProductRow? Product, LocationRow? Home)> ProductAndHomeAsync(DbSession session, string productId, string traineeId)
    {
        await using var reads = await session.QueryMultipleAsync(
            $"SELECT {Queries.ProductColumns} FROM products WHERE product_id = @productId;\n" +
            $"SELECT {Queries.LocationColumns} FROM locations WHERE trainee_id = @traineeId",
            new { productId, traineeId });
        var product = await reads.ReadSingleOrDefaultAsync<ProductRow>();
        var home = await reads.ReadSingleOrDefaultAsync<LocationRow>();
        return (product, home);
    }

    /// <summary>
    /// Insert-first on the report id; false when the report is already consumed (a concurrent twin waits on
    /// the key, then finds it).
    /// </summary>
    public static async Task<bool> TryInsertAsync(DbSession session, ConsumptionRecord record) =>
        await session.ExecuteAsync(
            "INSERT INTO consumption_reports (report_id, request_hash, trainee_id, programme_id, product_id, bom_version, units, movement_id, created_at) " +
            "VALUES (@ReportId, @RequestHash, @TraineeId, @ProgrammeId, @ProductId, @BomVersion, @Units, @MovementId, @CreatedAt) " +
            "ON CONFLICT (report_id) DO NOTHING",
            record) > 0;

    public static async Task<ConsumptionReportRow> GetAsync(DbSession db, string reportId) =>
        (await db.QuerySingleOrDefaultAsync<ConsumptionReportRow>(
            "SELECT report_id AS ReportId, request_hash AS RequestHash, bom_version AS BomVersion, movement_id AS MovementId " +
            "FROM consumption_reports WHERE report_id = @reportId", new { reportId }))!;
}

/// <summary>A consumption_reports row to insert.</summary>
internal sealed record ConsumptionRecord(
    string ReportId, string RequestHash, string TraineeId, string ProgrammeId, string ProductId, int BomVersion, int Units, string MovementId, long CreatedAt);
