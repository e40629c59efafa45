using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

public sealed class KitTests
{
    [Theory, BothDatabases]
    public async Task A_plan_rounds_each_kit_up_and_reports_the_shortage_at_the_source(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "plan");
        var felt = (await materials.CreateMaterialAsync("FELT-PLAN", BaseUnit.SquareCentimetre)).MaterialId;
        var snap = (await materials.CreateMaterialAsync("SNAP-PLAN")).MaterialId;
        var product = await materials.CreateProductAsync("PLAN-PROD", (felt, 3, 333), (snap, 1, 0));
        await materials.ReceiveAsync(DistrictOfficeId, "L-PLAN", (felt, 40), (snap, 100));
        var (t1, t2) = (NewId(), NewId());

        var plan = await materials.PlanAsync(NewId(), product.ProductId, DistrictOfficeId, (t1, 7), (t2, 10));

        // 3 x 7 x 1.333 = 27.993 -> 28; 3 x 10 x 1.333 = 39.99 -> 40.
        Assert.Equal([28L, 40L], plan.Kits.Select(k => k.Lines.Single(l => l.MaterialId == felt).Quantity));
        Assert.Equal([7L, 10L], plan.Kits.Select(k => k.Lines.Single(l => l.MaterialId == snap).Quantity));
        Assert.Equal(68, plan.Totals.Single(t => t.MaterialId == felt).Quantity);
        var shortage = Assert.Single(plan.Shortages);
        Assert.Equal((felt, "FELT-PLAN", 68L, 40L, 28L), (shortage.MaterialId, shortage.MaterialCode, shortage.Required, shortage.Available, shortage.Shortfall));
        Assert.Equal(plan, await materials.Operator.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = plan.KitPlanId }));
    }

    [Theory, BothDatabases]
    public async Task A_dispatch_moves_every_kit_or_none(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "dispatch");
        var fabric = (await materials.CreateMaterialAsync("FAB-DISPATCH", BaseUnit.SquareCentimetre)).MaterialId;
        var loop = (await materials.CreateMaterialAsync("LOOP-DISPATCH")).MaterialId;
        var product = await materials.CreateProductAsync("DISPATCH-PROD", (fabric, 100, 0), (loop, 2, 0));
        await materials.ReceiveAsync(DistrictOfficeId, "L-D1", (fabric, 10_000), (loop, 30));
        var trainees = new[] { NewId(), NewId(), NewId() };
        var plan = await materials.PlanAsync(NewId(), product.ProductId, DistrictOfficeId, trainees.Select(t => (t, 10)).ToArray());

        // 3 kits need 60 loops; 30 are there: nothing moves, no home is created.
        var error = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => materials.DispatchAsync(plan.KitPlanId));
        Assert.Equal(loop, Assert.Single(RpcAssert.Violations(error)).Subject);
        Assert.Equal(10_000, await materials.BalanceAsync(DistrictOfficeId, fabric));
        Assert.Empty((await materials.Operator.ListLocationsAsync(new ListLocationsRequest { Kind = LocationKind.TraineeHome })).Locations);
        Assert.All((await materials.Operator.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = plan.KitPlanId })).Kits,
            k => Assert.Equal(KitStatus.Planned, k.Status));

        // One trainee's kit alone fits; then the rest after a second delivery; replays change nothing.
        var first = new DispatchKitPlanRequest { RequestId = NewId(), KitPlanId = plan.KitPlanId, TraineeIds = { trainees[1] } };
        var one = await materials.Operator.DispatchKitPlanAsync(first);
        Assert.Equal([KitStatus.Planned, KitStatus.Dispatched, KitStatus.Planned], one.Kits.Select(k => k.Status));
        Assert.Equal(one, await materials.Operator.DispatchKitPlanAsync(first));
        Assert.Equal(10, await materials.BalanceAsync(DistrictOfficeId, loop));

        await materials.ReceiveAsync(DistrictOfficeId, "L-D2", (loop, 30));
        var rest = await materials.DispatchAsync(plan.KitPlanId);
        Assert.All(rest.Kits, k => Assert.Equal(KitStatus.Dispatched, k.Status));
        Assert.Equal(one.Kits[1].MovementId, rest.Kits[1].MovementId);
        var again = await materials.DispatchAsync(plan.KitPlanId); // a new request id: every kit is already out
        Assert.Equal(rest.Kits, again.Kits);
        Assert.Equal(0, await materials.BalanceAsync(DistrictOfficeId, loop));
        Assert.Equal(3, (await materials.Operator.ListLocationsAsync(new ListLocationsRequest { Kind = LocationKind.TraineeHome })).Locations.Count);
        var home = await materials.Operator.GetLocationAsync(new GetLocationRequest { LocationId = rest.Kits[0].HomeLocationId });
        Assert.Equal((trainees[0], $"sub-{trainees[0]}"), (home.TraineeId, home.TraineeSubject));
        var dispatchEntries = await materials.Operator.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { Kind = MovementKind.KitDispatch, PageSize = 200 });
        Assert.Equal(14, dispatchEntries.Entries.Count); // 3 kits x 2 materials x (out + in), plus one kit's loops split over two lots
        await materials.AssertLedgerConsistentAsync();

        var stranger = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.DispatchKitPlanAsync(
            new DispatchKitPlanRequest { RequestId = NewId(), KitPlanId = plan.KitPlanId, TraineeIds = { NewId() } }));
        Assert.Contains("trainee_ids[0]", RpcAssert.Fields(stranger));
    }
}
