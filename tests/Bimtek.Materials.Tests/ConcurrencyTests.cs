using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

/// <summary>Races on a real PostgreSQL (READ COMMITTED, row locks): the engine where they can go wrong.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Two_first_ever_concurrent_dispatches_exceeding_stock_let_exactly_one_through_20_rounds()
    {
        await using var materials = await MaterialsHost.StartAsync(DatabaseKind.Postgres, "race");
        var cloth = (await materials.CreateMaterialAsync("CLOTH-RACE", BaseUnit.SquareCentimetre)).MaterialId;
        var product = await materials.CreateProductAsync("RACE-PROD", (cloth, 10, 0));

        for (var round = 0; round < 20; round++)
        {
            // A new source and two new trainees each round: every dispatch is the first ever to its home.
            var source = await materials.CreateWarehouseAsync($"Gudang {round}");
            await materials.ReceiveAsync(source, $"R{round}", (cloth, 100));
            var a = await materials.PlanAsync(NewId(), product.ProductId, source, (NewId(), 6));
            var b = await materials.PlanAsync(NewId(), product.ProductId, source, (NewId(), 6));

            var outcomes = await Task.WhenAll(Outcome(materials.DispatchAsync(a.KitPlanId)), Outcome(materials.DispatchAsync(b.KitPlanId)));

            Assert.Single(outcomes, o => o is null);
            var refused = Assert.Single(outcomes, o => o is not null)!;
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
            Assert.Equal(cloth, Assert.Single(RpcAssert.Violations(refused)).Subject);
            Assert.Equal(40, await materials.BalanceAsync(source, cloth));

            // Two reports at the winner's home (60) that need 40 each: exactly one consumes.
            var winner = outcomes[0] is null ? a : b;
            var trainee = winner.Kits[0].TraineeId;
            var reports = await Task.WhenAll(
                Outcome(materials.ConsumeAsync(NewId(), trainee, winner.ProgrammeId, product.ProductId, 4)),
                Outcome(materials.ConsumeAsync(NewId(), trainee, winner.ProgrammeId, product.ProductId, 4)));
            Assert.Single(reports, o => o is null);
            Assert.Equal(StatusCode.FailedPrecondition, Assert.Single(reports, o => o is not null)!.StatusCode);
            Assert.Equal(20, await materials.BalanceAsync(await materials.HomeOfAsync(trainee), cloth));
        }
        await materials.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Opposite_order_multi_material_movements_at_once_never_surface_a_deadlock()
    {
        await using var materials = await MaterialsHost.StartAsync(DatabaseKind.Postgres, "deadlock");
        var ids = new List<string>();
        foreach (var code in new[] { "DL-A", "DL-B", "DL-C", "DL-D" })
        {
            ids.Add((await materials.CreateMaterialAsync(code)).MaterialId);
        }
        var east = await materials.CreateWarehouseAsync("Gudang Timur");
        var west = await materials.CreateWarehouseAsync("Gudang Barat");
        var all = ids.Select(id => (id, 100_000L)).ToArray();
        await materials.ReceiveAsync(east, "E", all);
        await materials.ReceiveAsync(west, "W", all);
        var forward = await materials.CreateProductAsync("DL-FWD", ids.Select(id => (id, 1L, 0)).ToArray());
        var backward = await materials.CreateProductAsync("DL-BWD", ids.AsEnumerable().Reverse().Select(id => (id, 2L, 0)).ToArray());
        var plans = new List<KitPlan>();
        for (var i = 0; i < 6; i++)
        {
            plans.Add(await materials.PlanAsync(NewId(), (i % 2 == 0 ? forward : backward).ProductId, i % 2 == 0 ? east : west, (NewId(), 5), (NewId(), 5)));
        }

        var calls = new List<Task>();
        for (var i = 0; i < 24; i++)
        {
            var lines = ids.Select(id => (id, (long)(i + 1))).ToArray();
            calls.Add(i % 2 == 0
                ? materials.TransferAsync(east, west, lines)
                : materials.TransferAsync(west, east, lines.Reverse().ToArray()));
        }
        calls.AddRange(plans.Select(p => (Task)materials.DispatchAsync(p.KitPlanId)));
        await Task.WhenAll(calls); // any deadlock (40P01) that escaped the retry would fail here

        foreach (var id in ids)
        {
            var total = (await materials.Operator.ListBalancesAsync(new ListBalancesRequest { MaterialId = id, PageSize = 200 })).Balances.Sum(b => b.Quantity);
            Assert.Equal(200_000, total);
        }
        await materials.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task One_plan_dispatched_by_several_requests_at_once_sends_each_kit_once()
    {
        await using var materials = await MaterialsHost.StartAsync(DatabaseKind.Postgres, "samekit");
        var cloth = (await materials.CreateMaterialAsync("CLOTH-SAME")).MaterialId;
        var product = await materials.CreateProductAsync("SAME-PROD", (cloth, 5, 0));
        await materials.ReceiveAsync(DistrictOfficeId, "S1", (cloth, 1_000));
        var plan = await materials.PlanAsync(NewId(), product.ProductId, DistrictOfficeId, (NewId(), 10), (NewId(), 10), (NewId(), 10));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => materials.DispatchAsync(plan.KitPlanId)));

        Assert.All(answers, a => Assert.Equal(answers[0].Kits, a.Kits));
        Assert.All(answers[0].Kits, k => Assert.Equal(KitStatus.Dispatched, k.Status));
        Assert.Equal(3, await materials.CountAsync("SELECT COUNT(*) FROM movements WHERE kind = 3"));
        Assert.Equal(850, await materials.BalanceAsync(DistrictOfficeId, cloth));
        await materials.AssertLedgerConsistentAsync();
    }

    private static async Task<RpcException?> Outcome<T>(Task<T> call)
    {
        try
        {
            await call;
            return null;
        }
        catch (RpcException error)
        {
            return error;
        }
    }
}
