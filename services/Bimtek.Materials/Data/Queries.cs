using Bimtek.Data.Persistence;

namespace Bimtek.Materials.Data;

/// <summary>
/// Row reads every area shares (materials, products, locations, balances) and the column lists of the
/// stores; inside a transaction or not (<see cref="DbSession"/>). Each area's own SQL is in its store.
/// </summary>
internal static class Queries
{
    public const string MaterialColumns =
        "material_id AS MaterialId, code AS Code, name AS Name, base_unit AS BaseUnit, description AS Description, created_at AS CreatedAt";

    public const string ProductColumns =
        "product_id AS ProductId, code AS Code, name AS Name, unit_name AS UnitName, medical AS Medical, " +
        "current_bom_version AS CurrentBomVersion, created_at AS CreatedAt";

    public const string LocationColumns =
        "location_id AS LocationId, kind AS Kind, name AS Name, district AS District, trainee_id AS TraineeId, " +
        "trainee_subject AS TraineeSubject, created_at AS CreatedAt, office AS Office";

    public const string MovementColumns =
        "movement_id AS MovementId, kind AS Kind, from_location_id AS FromLocationId, to_location_id AS ToLocationId, " +
        "supplier_document_number AS SupplierDocumentNumber, programme_id AS ProgrammeId, trainee_id AS TraineeId, " +
        "report_id AS ReportId, kit_plan_id AS KitPlanId, reason AS Reason, recorded_by AS RecordedBy, recorded_at AS RecordedAt";

    public const string EntryColumns =
        "entry_id AS EntryId, movement_id AS MovementId, seq AS Seq, kind AS Kind, location_id AS LocationId, " +
        "material_id AS MaterialId, lot_id AS LotId, quantity_delta AS QuantityDelta, balance_after AS BalanceAfter, " +
        "programme_id AS ProgrammeId, trainee_id AS TraineeId, report_id AS ReportId, recorded_at AS RecordedAt";

    public static Task<MaterialRow?> MaterialAsync(DbSession db, string materialId) =>
        db.QuerySingleOrDefaultAsync<MaterialRow>($"SELECT {MaterialColumns} FROM materials WHERE material_id = @materialId", new { materialId });

    public static async Task<Dictionary<string, MaterialRow>> MaterialsAsync(DbSession db, IEnumerable<string> materialIds)
    {
        var result = new Dictionary<string, MaterialRow>();
        foreach (var id in materialIds.Distinct())
        {
            if (await MaterialAsync(db, id) is { } row)
            {
                result[id] = row;
            }
        }
        return result;
    }

    public static Task<ProductRow?> ProductAsync(DbSession db, string productId) =>
        db.QuerySingleOrDefaultAsync<ProductRow>($"SELECT {ProductColumns} FROM products WHERE product_id = @productId", new { productId });

    public static Task<LocationRow?> LocationAsync(DbSession db, string locationId) =>
        db.QuerySingleOrDefaultAsync<LocationRow>($"SELECT {LocationColumns} FROM locations WHERE location_id = @locationId", new { locationId });

    public static Task<LocationRow?> HomeAsync(DbSession db, string traineeId) =>
        db.QuerySingleOrDefaultAsync<LocationRow>($"SELECT {LocationColumns} FROM locations WHERE trainee_id = @traineeId", new { traineeId });

    /// <summary>Quantity of each material at a location (0 when absent).</summary>
    public static async Task<Dictionary<string, long>> BalancesAtAsync(DbSession db, string locationId)
    {
        var rows = await db.QueryAsync<BalanceRow>(
            "SELECT material_id AS MaterialId, quantity AS Quantity FROM balances WHERE location_id = @locationId", new { locationId });
        return rows.ToDictionary(r => r.MaterialId, r => r.Quantity);
    }
}
