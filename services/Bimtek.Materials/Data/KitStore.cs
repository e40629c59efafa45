using Bimtek.Data.Persistence;
using Bimtek.Materials.V1;

namespace Bimtek.Materials.Data;

/// <summary>
/// Kit plans: the plan row (locked by a dispatch, so one plan's dispatches run one after another), one kit per
/// trainee and each kit's lines. The trainee homes kits create are in <see cref="LocationStore"/>.
/// </summary>
internal static class KitStore
{
    public static Task InsertPlanAsync(DbSession session, KitPlanRow plan) =>
        session.ExecuteAsync(
            "INSERT INTO kit_plans (kit_plan_id, programme_id, product_id, bom_version, source_location_id, created_at) " +
            "VALUES (@KitPlanId, @ProgrammeId, @ProductId, @BomVersion, @SourceLocationId, @CreatedAt)",
            plan);

    public static async Task InsertKitAsync(DbSession session, string kitPlanId, int position, string traineeId, int quota, string traineeSubject,
        IEnumerable<(string MaterialId, long Quantity)> lines)
    {
        await session.ExecuteAsync(
            "INSERT INTO kit_plan_kits (kit_plan_id, trainee_id, position, quota, trainee_subject, status, home_location_id, movement_id) " +
            "VALUES (@kitPlanId, @traineeId, @position, @quota, @subject, @status, '', '')",
            new { kitPlanId, traineeId, position, quota, subject = traineeSubject, status = (int)KitStatus.Planned });
        foreach (var (materialId, quantity) in lines)
        {
            await session.ExecuteAsync(
                "INSERT INTO kit_plan_lines (kit_plan_id, trainee_id, material_id, quantity) VALUES (@kitPlanId, @traineeId, @materialId, @quantity)",
                new { kitPlanId, traineeId, materialId, quantity });
        }
    }

    public static Task<KitPlanRow?> PlanAsync(DbSession db, string kitPlanId, string lockSuffix = "") =>
        db.QuerySingleOrDefaultAsync<KitPlanRow>(
            "SELECT kit_plan_id AS KitPlanId, programme_id AS ProgrammeId, product_id AS ProductId, bom_version AS BomVersion, " +
            "source_location_id AS SourceLocationId, created_at AS CreatedAt FROM kit_plans WHERE kit_plan_id = @kitPlanId" + lockSuffix,
            new { kitPlanId });

    /// <summary>The plan's kits in planned order.</summary>
    public static async Task<IReadOnlyList<KitRow>> KitsAsync(DbSession db, string kitPlanId) =>
        (await db.QueryAsync<KitRow>(
            "SELECT trainee_id AS TraineeId, position AS Position, quota AS Quota, trainee_subject AS TraineeSubject, status AS Status, " +
            "home_location_id AS HomeLocationId, movement_id AS MovementId FROM kit_plan_kits WHERE kit_plan_id = @kitPlanId ORDER BY position",
            new { kitPlanId })).ToList();

    public static async Task<IReadOnlyList<KitLineRow>> LinesAsync(DbSession db, string kitPlanId) =>
        (await db.QueryAsync<KitLineRow>(
            "SELECT trainee_id AS TraineeId, material_id AS MaterialId, quantity AS Quantity FROM kit_plan_lines WHERE kit_plan_id = @kitPlanId",
            new { kitPlanId })).ToList();

    /// <summary>The stored plan with each kit, the codes of its materials and the source's balances as of now.</summary>
    public static async Task<StoredKitPlan> LoadAsync(DbSession db, KitPlanRow plan)
    {
        var kits = await KitsAsync(db, plan.KitPlanId);
        var lines = (await LinesAsync(db, plan.KitPlanId)).ToLookup(l => l.TraineeId);
        var materials = await Queries.MaterialsAsync(db, lines.SelectMany(g => g).Select(l => l.MaterialId));
        var available = await Queries.BalancesAtAsync(db, plan.SourceLocationId);
        return new StoredKitPlan(plan, kits, lines, materials.ToDictionary(m => m.Key, m => m.Value.Code), available);
    }

    public static Task MarkDispatchedAsync(DbSession session, string kitPlanId, string traineeId, string homeLocationId, string movementId) =>
        session.ExecuteAsync(
            "UPDATE kit_plan_kits SET status = @status, home_location_id = @home, movement_id = @movementId " +
            "WHERE kit_plan_id = @kitPlanId AND trainee_id = @traineeId",
            new { status = (int)KitStatus.Dispatched, home = homeLocationId, movementId, kitPlanId, traineeId });
}
