using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

/// <summary>The reference programme: 5 trainees, 500 sasirangan masks, materials from the province.</summary>
public sealed class MaskScenarioTests
{
    [Theory, BothDatabases]
    public async Task Province_delivery_kits_for_five_trainees_and_500_masks_consumed_without_shortage(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "mask");
        var programme = NewId();
        var trainees = Enumerable.Range(0, 5).Select(_ => NewId()).ToArray();

        // The province delivers exactly the planned totals to its warehouse; the office takes it over.
        var receipt = await materials.ReceiveAsync(ProvincialWarehouseId, "KALSEL-2020-05",
            (Sasirangan, 176_000), (Cotton, 330_000), (EarLoop, 1_050), (SewingThread, 275_000));
        Assert.Equal(MovementKind.Receipt, receipt.Kind);
        Assert.Equal("SPB/KALSEL-2020-05", receipt.SupplierDocumentNumber);
        await materials.TransferAsync(ProvincialWarehouseId, DistrictOfficeId,
            (Sasirangan, 176_000), (Cotton, 330_000), (EarLoop, 1_050), (SewingThread, 275_000));

        var plan = await materials.PlanAsync(programme, MaskProductId, DistrictOfficeId, trainees.Select(t => (t, 100)).ToArray());
        Assert.Equal(1, plan.BomVersion);
        Assert.Equal(5, plan.Kits.Count);
        foreach (var kit in plan.Kits)
        {
            // BOM x 100 x (1 + waste): 320 cm2 +10 %, 600 cm2 +10 %, 2 loops +5 %, 500 cm thread +10 %.
            var lines = kit.Lines.ToDictionary(l => l.MaterialId, l => l.Quantity);
            Assert.Equal(35_200, lines[Sasirangan]);
            Assert.Equal(66_000, lines[Cotton]);
            Assert.Equal(210, lines[EarLoop]);
            Assert.Equal(55_000, lines[SewingThread]);
            Assert.Equal(KitStatus.Planned, kit.Status);
        }
        Assert.Equal(176_000, plan.Totals.Single(t => t.MaterialId == Sasirangan).Quantity);
        Assert.Empty(plan.Shortages);

        var dispatched = await materials.DispatchAsync(plan.KitPlanId);
        Assert.All(dispatched.Kits, k => Assert.Equal(KitStatus.Dispatched, k.Status));
        Assert.All(dispatched.Kits, k => Assert.NotEmpty(k.HomeLocationId));
        Assert.Equal(0, await materials.BalanceAsync(DistrictOfficeId, Sasirangan));

        // 500 masks reported as 20 reports of 25.
        foreach (var trainee in trainees)
        {
            for (var i = 0; i < 4; i++)
            {
                var consumed = await materials.ConsumeAsync(NewId(), trainee, programme, MaskProductId, 25);
                Assert.Equal(1, consumed.BomVersion);
                Assert.All(consumed.Movement.Entries, e => Assert.True(e.QuantityDelta < 0));
            }
        }
        var home = await materials.HomeOfAsync(trainees[0]);
        Assert.Equal(3_200, await materials.BalanceAsync(home, Sasirangan));
        Assert.Equal(10, await materials.BalanceAsync(home, EarLoop));

        // Every consumption traces back to the province's lot.
        var lot = receipt.Entries.Single(e => e.MaterialId == EarLoop).LotId;
        var traced = await materials.Operator.ListLedgerEntriesAsync(new ListLedgerEntriesRequest
        {
            LotId = lot,
            Kind = MovementKind.Consumption,
            PageSize = 200,
        });
        Assert.Equal(20, traced.Entries.Count);
        Assert.Equal(-1_000, traced.Entries.Sum(e => e.QuantityDelta));
        var lots = await materials.Operator.ListLotsAsync(new ListLotsRequest { MaterialId = EarLoop });
        Assert.Equal(1_050, lots.Lots.Single().ReceivedQuantity);
        Assert.Equal(50, lots.Lots.Single().RemainingQuantity);

        // Capacity left: 5 more masks, limited by ear loops (10 / 2).
        var capacity = await materials.Operator.GetCapacityAsync(new GetCapacityRequest { TraineeId = trainees[0], ProductId = MaskProductId });
        Assert.Equal(5, capacity.UnitsPossible);
        Assert.Equal(EarLoop, capacity.LimitingMaterialId);

        // A report beyond what the home holds is refused naming the short material; nothing consumed.
        var entriesBefore = await materials.CountAsync("SELECT COUNT(*) FROM ledger_entries");
        var error = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => materials.ConsumeAsync(NewId(), trainees[0], programme, MaskProductId, 6));
        Assert.Equal("INSUFFICIENT_STOCK", RpcAssert.Reason(error));
        var violation = Assert.Single(RpcAssert.Violations(error));
        Assert.Equal("STOCK", violation.Type);
        Assert.Equal(EarLoop, violation.Subject);
        Assert.Contains("ELASTIC-EARLOOP", violation.Description);
        Assert.Contains("short by 2", violation.Description);
        Assert.Equal(entriesBefore, await materials.CountAsync("SELECT COUNT(*) FROM ledger_entries"));
        Assert.Equal(3_200, await materials.BalanceAsync(home, Sasirangan));
        Assert.Equal(10, await materials.BalanceAsync(home, EarLoop));

        var yields = await materials.Operator.ListTraineeYieldsAsync(new ListTraineeYieldsRequest { ProgrammeId = programme });
        Assert.Equal(5, yields.Yields.Count);
        Assert.All(yields.Yields, y => Assert.Equal(100, y.UnitsReported));
        Assert.All(yields.Yields, y => Assert.False(y.OverAllowance));
        var sasirangan = yields.Yields.Single(y => y.TraineeId == trainees[0]).Lines.Single(l => l.MaterialId == Sasirangan);
        Assert.Equal((35_200, 32_000, 0, 3_200, 32_000, 35_200), (sasirangan.Sent, sasirangan.Consumed, sasirangan.Returned, sasirangan.OnHand, sasirangan.ExpectedByBom, sasirangan.AllowedWithWaste));

        await materials.AssertLedgerConsistentAsync();
    }
}
