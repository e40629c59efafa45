using Bimtek.Materials.Api;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;

namespace Bimtek.Materials.Data;

/// <summary>Reads of the catalogue, locations, movements and kit plans, shared by reads and writes.</summary>
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

    public static Task<MaterialRow?> MaterialAsync(Db db, string materialId) =>
        db.SingleOrDefaultAsync<MaterialRow>($"SELECT {MaterialColumns} FROM materials WHERE material_id = @materialId", new { materialId });

    public static async Task<Dictionary<string, MaterialRow>> MaterialsAsync(Db db, IEnumerable<string> materialIds)
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

    public static Task<ProductRow?> ProductAsync(Db db, string productId) =>
        db.SingleOrDefaultAsync<ProductRow>($"SELECT {ProductColumns} FROM products WHERE product_id = @productId", new { productId });

    public static async Task<BomVersion?> BomVersionAsync(Db db, string productId, int version)
    {
        var row = await db.SingleOrDefaultAsync<BomVersionRow>(
            "SELECT product_id AS ProductId, version AS Version, note AS Note, created_at AS CreatedAt FROM bom_versions " +
            "WHERE product_id = @productId AND version = @version",
            new { productId, version });
        if (row is null)
        {
            return null;
        }
        var lines = await db.QueryAsync<BomLineRow>(
            "SELECT b.product_id AS ProductId, b.version AS Version, b.material_id AS MaterialId, b.quantity_per_unit AS QuantityPerUnit, " +
            "b.waste_per_mille AS WastePerMille, m.code AS MaterialCode, m.base_unit AS BaseUnit FROM bom_lines b " +
            "JOIN materials m ON m.material_id = b.material_id WHERE b.product_id = @productId AND b.version = @version ORDER BY m.code",
            new { productId, version });
        return ProtoMapping.ToBomVersion(row, lines);
    }

    public static async Task<Product?> ProductMessageAsync(Db db, string productId)
    {
        var row = await ProductAsync(db, productId);
        return row is null ? null : await ToProductAsync(db, row);
    }

    public static async Task<Product> ToProductAsync(Db db, ProductRow row)
    {
        var current = row.CurrentBomVersion > 0 ? await BomVersionAsync(db, row.ProductId, row.CurrentBomVersion) : null;
        return ProtoMapping.ToProduct(row, current);
    }

    public static IReadOnlyList<BomLineSpec> Specs(BomVersion bom) =>
        bom.Lines.Select(l => new BomLineSpec(l.MaterialId, l.QuantityPerUnit, l.WastePerMille)).ToList();

    public static Task<LocationRow?> LocationAsync(Db db, string locationId) =>
        db.SingleOrDefaultAsync<LocationRow>($"SELECT {LocationColumns} FROM locations WHERE location_id = @locationId", new { locationId });

    public static Task<LocationRow?> HomeAsync(Db db, string traineeId) =>
        db.SingleOrDefaultAsync<LocationRow>($"SELECT {LocationColumns} FROM locations WHERE trainee_id = @traineeId", new { traineeId });

    public static async Task<StockMovement?> MovementAsync(Db db, string movementId)
    {
        var row = await db.SingleOrDefaultAsync<MovementRow>($"SELECT {MovementColumns} FROM movements WHERE movement_id = @movementId", new { movementId });
        if (row is null)
        {
            return null;
        }
        var entries = await db.QueryAsync<LedgerEntryRow>(
            $"SELECT {EntryColumns} FROM ledger_entries WHERE movement_id = @movementId ORDER BY seq", new { movementId });
        return ProtoMapping.ToMovement(row, entries);
    }

    /// <summary>Quantity of each material at a location (0 when absent).</summary>
    public static async Task<Dictionary<string, long>> BalancesAtAsync(Db db, string locationId)
    {
        var rows = await db.QueryAsync<BalanceRow>(
            "SELECT material_id AS MaterialId, quantity AS Quantity FROM balances WHERE location_id = @locationId", new { locationId });
        return rows.ToDictionary(r => r.MaterialId, r => r.Quantity);
    }

    public static Task<KitPlanRow?> KitPlanRowAsync(Db db, string kitPlanId, string lockSuffix = "") =>
        db.SingleOrDefaultAsync<KitPlanRow>(
            "SELECT kit_plan_id AS KitPlanId, programme_id AS ProgrammeId, product_id AS ProductId, bom_version AS BomVersion, " +
            "source_location_id AS SourceLocationId, created_at AS CreatedAt FROM kit_plans WHERE kit_plan_id = @kitPlanId" + lockSuffix,
            new { kitPlanId });

    /// <summary>The stored plan with each kit, its totals and the shortage at the source as of now.</summary>
    public static async Task<KitPlan> KitPlanAsync(Db db, KitPlanRow plan)
    {
        var kits = (await db.QueryAsync<KitRow>(
            "SELECT trainee_id AS TraineeId, position AS Position, quota AS Quota, trainee_subject AS TraineeSubject, status AS Status, " +
            "home_location_id AS HomeLocationId, movement_id AS MovementId FROM kit_plan_kits WHERE kit_plan_id = @KitPlanId ORDER BY position",
            new { plan.KitPlanId })).ToList();
        var lines = (await db.QueryAsync<KitLineRow>(
            "SELECT trainee_id AS TraineeId, material_id AS MaterialId, quantity AS Quantity FROM kit_plan_lines WHERE kit_plan_id = @KitPlanId",
            new { plan.KitPlanId })).ToLookup(l => l.TraineeId);
        var materials = await MaterialsAsync(db, lines.SelectMany(g => g).Select(l => l.MaterialId));
        string Code(string id) => materials.TryGetValue(id, out var m) ? m.Code : id;

        var message = new KitPlan
        {
            KitPlanId = plan.KitPlanId,
            ProgrammeId = plan.ProgrammeId,
            ProductId = plan.ProductId,
            BomVersion = plan.BomVersion,
            SourceLocationId = plan.SourceLocationId,
            CreatedAt = Time.ToTimestamp(plan.CreatedAt),
        };
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var pending = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var kit in kits)
        {
            var trainee = new TraineeKit
            {
                TraineeId = kit.TraineeId,
                Quota = kit.Quota,
                Status = (KitStatus)kit.Status,
                HomeLocationId = kit.HomeLocationId,
                MovementId = kit.MovementId,
                TraineeSubject = kit.TraineeSubject,
            };
            foreach (var line in lines[kit.TraineeId].OrderBy(l => Code(l.MaterialId), StringComparer.Ordinal))
            {
                trainee.Lines.Add(new MaterialQuantity { MaterialId = line.MaterialId, Quantity = line.Quantity });
                totals[line.MaterialId] = totals.GetValueOrDefault(line.MaterialId) + line.Quantity;
                if (kit.Status != (int)KitStatus.Dispatched)
                {
                    pending[line.MaterialId] = pending.GetValueOrDefault(line.MaterialId) + line.Quantity;
                }
            }
            message.Kits.Add(trainee);
        }
        message.Totals.Add(totals.OrderBy(t => Code(t.Key), StringComparer.Ordinal)
            .Select(t => new MaterialQuantity { MaterialId = t.Key, Quantity = t.Value }));
        var available = await BalancesAtAsync(db, plan.SourceLocationId);
        foreach (var (materialId, required) in pending.OrderBy(t => Code(t.Key), StringComparer.Ordinal))
        {
            var have = available.GetValueOrDefault(materialId);
            if (have < required)
            {
                message.Shortages.Add(new MaterialShortage
                {
                    MaterialId = materialId,
                    MaterialCode = Code(materialId),
                    Required = required,
                    Available = have,
                    Shortfall = required - have,
                });
            }
        }
        return message;
    }
}
