using Bimtek.Data.Persistence;
using Bimtek.Materials.V1;

namespace Bimtek.Materials.Data;

/// <summary>The sums a trainee's yield is computed from: ledger entries at the home, and units reported per BOM version.</summary>
internal static class YieldStore
{
    /// <summary>What moved at the home, per material, in the programme's movements and those tied to no programme.</summary>
    public sealed record HomeSums(
        IReadOnlyDictionary<string, long> Sent,
        IReadOnlyDictionary<string, long> Consumed,
        IReadOnlyDictionary<string, long> Returned,
        IReadOnlyDictionary<string, long> Adjusted);

    private sealed class MaterialSum
    {
        public string MaterialId { get; set; } = "";
        public long Total { get; set; }
    }

    public sealed class UnitsByBom
    {
        public string ProductId { get; set; } = "";
        public int BomVersion { get; set; }
        public long Units { get; set; }
    }

    /// <summary>
    /// Sent, consumed and returned count the programme's movements at the home and those tied to no programme
    /// (an ad-hoc return); adjustments count whatever the programme. An empty home id matches nothing.
    /// </summary>
    public static async Task<HomeSums> HomeSumsAsync(DbSession db, string homeId, string programmeId)
    {
        async Task<IReadOnlyDictionary<string, long>> SumAsync(string condition) =>
            (await db.QueryAsync<MaterialSum>(
                "SELECT material_id AS MaterialId, SUM(quantity_delta) AS Total FROM ledger_entries " +
                $"WHERE location_id = @homeId AND {condition} GROUP BY material_id",
                new { homeId, programmeId, dispatch = (int)MovementKind.KitDispatch, transfer = (int)MovementKind.Transfer, consumption = (int)MovementKind.Consumption, returned = (int)MovementKind.Return, adjustment = (int)MovementKind.Adjustment }))
            .ToDictionary(r => r.MaterialId, r => r.Total);

        var sent = await SumAsync("programme_id IN (@programmeId, '') AND quantity_delta > 0 AND kind IN (@dispatch, @transfer)");
        var consumed = await SumAsync("programme_id IN (@programmeId, '') AND kind = @consumption");
        var returned = await SumAsync("programme_id IN (@programmeId, '') AND kind = @returned");
        var adjusted = await SumAsync("kind = @adjustment");
        return new HomeSums(sent, consumed, returned, adjusted);
    }

    /// <summary>Units the trainee reported in the programme, per product and BOM version.</summary>
    public static async Task<IReadOnlyList<UnitsByBom>> UnitsByBomAsync(DbSession db, string programmeId, string traineeId) =>
        (await db.QueryAsync<UnitsByBom>(
            "SELECT product_id AS ProductId, bom_version AS BomVersion, SUM(units) AS Units FROM consumption_reports " +
            "WHERE programme_id = @programmeId AND trainee_id = @traineeId GROUP BY product_id, bom_version",
            new { programmeId, traineeId })).ToList();
}
