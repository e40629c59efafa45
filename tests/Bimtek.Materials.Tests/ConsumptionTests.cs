using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

public sealed class ConsumptionTests
{
    private sealed record Setup(MaterialsHost Materials, string Fabric, string Loop, string ProductId, string Programme, string Trainee, string Home);

    /// <summary>A product of 10 fabric + 2 loops per unit and one trainee holding a kit for 10 units.</summary>
    private static async Task<Setup> SetUpAsync(MaterialsHost materials, string prefix)
    {
        var fabric = (await materials.CreateMaterialAsync($"{prefix}-FAB", BaseUnit.SquareCentimetre)).MaterialId;
        var loop = (await materials.CreateMaterialAsync($"{prefix}-LOOP")).MaterialId;
        var product = await materials.CreateProductAsync($"{prefix}-PROD", (fabric, 10, 100), (loop, 2, 0));
        await materials.ReceiveAsync(DistrictOfficeId, $"{prefix}-LOT", (fabric, 1_000), (loop, 100));
        var programme = NewId();
        var trainee = NewId();
        var plan = await materials.DispatchAsync((await materials.PlanAsync(programme, product.ProductId, DistrictOfficeId, (trainee, 10))).KitPlanId);
        return new Setup(materials, fabric, loop, product.ProductId, programme, trainee, plan.Kits[0].HomeLocationId);
    }

    [Theory, BothDatabases]
    public async Task A_report_id_is_consumed_once_whatever_request_id_carries_it(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "replay");
        var s = await SetUpAsync(materials, "RPL");
        var reportId = NewId();
        var request = new ConsumeForOutputRequest
        {
            RequestId = reportId,
            ReportId = reportId,
            TraineeId = s.Trainee,
            ProgrammeId = s.Programme,
            ProductId = s.ProductId,
            Units = 3,
        };

        // 10 copies at once, half with other request ids (an outbox message id instead of the report id).
        var copies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
        {
            var copy = request.Clone();
            if (i % 2 == 1)
            {
                copy.RequestId = NewId();
            }
            return materials.Internal.ConsumeForOutputAsync(copy).ResponseAsync;
        }));

        Assert.All(copies, c => Assert.Equal(copies[0], c));
        Assert.Equal(110 - 30, await materials.BalanceAsync(s.Home, s.Fabric));
        Assert.Equal(1, await materials.CountAsync("SELECT COUNT(*) FROM movements WHERE kind = 4"));

        var reused = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () =>
            materials.ConsumeAsync(reportId, s.Trainee, s.Programme, s.ProductId, 4));
        Assert.Equal("REQUEST_ID_REUSED", RpcAssert.Reason(reused)); // same request_id, other content
        var otherCarrier = request.Clone();
        otherCarrier.RequestId = NewId();
        otherCarrier.Units = 4;
        var reportReused = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Internal.ConsumeForOutputAsync(otherCarrier));
        Assert.Equal("REPORT_ID_REUSED", RpcAssert.Reason(reportReused));
        Assert.Contains("report_id", RpcAssert.Fields(reportReused));
        await materials.AssertLedgerConsistentAsync();
    }

    [Theory, BothDatabases]
    public async Task Replayed_request_ids_return_the_first_answer_and_a_different_payload_is_refused(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "requestid");
        var pin = (await materials.CreateMaterialAsync("PIN-REPLAY")).MaterialId;
        var receipt = new ReceiveStockRequest
        {
            RequestId = NewId(),
            LocationId = DistrictOfficeId,
            SupplierDocumentNumber = "SPB-1",
            LotCode = "L1",
            Lines = { new MaterialQuantity { MaterialId = pin, Quantity = 10 } },
        };

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => materials.Operator.ReceiveStockAsync(receipt).ResponseAsync));

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(10, await materials.BalanceAsync(DistrictOfficeId, pin));
        var changed = receipt.Clone();
        changed.Lines[0].Quantity = 11;
        var error = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.ReceiveStockAsync(changed));
        Assert.Equal("REQUEST_ID_REUSED", RpcAssert.Reason(error));

        // After a restart the same id still replays.
        await using var restarted = new ServiceHost<Program>(materials.Database);
        var replay = await restarted.Client<MaterialsService.MaterialsServiceClient>(TestTokens.Operator()).ReceiveStockAsync(receipt);
        Assert.Equal(answers[0], replay);
        Assert.Equal(10, await materials.BalanceAsync(DistrictOfficeId, pin));
    }

    [Theory, BothDatabases]
    public async Task A_new_bom_version_never_rewrites_past_consumption(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "bomversion");
        var s = await SetUpAsync(materials, "BOMV");
        var before = await materials.ConsumeAsync(NewId(), s.Trainee, s.Programme, s.ProductId, 2);
        Assert.Equal(1, before.BomVersion);

        var v2 = await materials.Operator.SetBillOfMaterialsAsync(new SetBillOfMaterialsRequest
        {
            RequestId = NewId(),
            ProductId = s.ProductId,
            Note = "measured again",
            Lines = { new BomLine { MaterialId = s.Fabric, QuantityPerUnit = 12, WastePerMille = 0 }, new BomLine { MaterialId = s.Loop, QuantityPerUnit = 2 } },
        });
        Assert.Equal(2, v2.Version);
        var after = await materials.ConsumeAsync(NewId(), s.Trainee, s.Programme, s.ProductId, 1);
        Assert.Equal(2, after.BomVersion);
        Assert.Equal(-12, after.Movement.Entries.Single(e => e.MaterialId == s.Fabric).QuantityDelta);

        var v1 = await materials.Operator.GetBomVersionAsync(new GetBomVersionRequest { ProductId = s.ProductId, Version = 1 });
        Assert.Equal(10, v1.Lines.Single(l => l.MaterialId == s.Fabric).QuantityPerUnit);
        var stored = await materials.Operator.GetStockMovementAsync(new GetStockMovementRequest { MovementId = before.Movement.MovementId });
        Assert.Equal(-20, stored.Entries.Single(e => e.MaterialId == s.Fabric).QuantityDelta);
        Assert.Equal(2, (await materials.Operator.GetProductAsync(new GetProductRequest { ProductId = s.ProductId })).CurrentBom.Version);

        var yieldLine = (await materials.Operator.ListTraineeYieldsAsync(new ListTraineeYieldsRequest { ProgrammeId = s.Programme }))
            .Yields.Single().Lines.Single(l => l.MaterialId == s.Fabric);
        Assert.Equal(2 * 10 + 1 * 12, yieldLine.ExpectedByBom); // each report judged by the version it used
        Assert.Equal(22 + 12, yieldLine.AllowedWithWaste);
        Assert.Equal(32, yieldLine.Consumed);
        Assert.False(yieldLine.OverAllowance);
    }

    [Theory, BothDatabases]
    public async Task Capacity_counts_whole_units_from_what_is_at_home(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "capacity");
        var s = await SetUpAsync(materials, "CAP");
        // Kit: 110 fabric (10 x 10 +10 %), 20 loops.
        var capacity = await materials.Operator.GetCapacityAsync(new GetCapacityRequest { TraineeId = s.Trainee, ProductId = s.ProductId });
        Assert.Equal(10, capacity.UnitsPossible);
        Assert.Equal(s.Loop, capacity.LimitingMaterialId);
        Assert.Equal([(110L, 11), (20L, 10)], capacity.Lines.OrderBy(l => l.QuantityPerUnit == 2).Select(l => (l.OnHand, l.UnitsPossible)));

        var none = await materials.Operator.GetCapacityAsync(new GetCapacityRequest { TraineeId = NewId(), ProductId = s.ProductId });
        Assert.Equal(0, none.UnitsPossible);

        // A trainee without a home yet: every material is short, nothing written.
        var error = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => materials.ConsumeAsync(NewId(), NewId(), s.Programme, s.ProductId, 1));
        Assert.Equal(2, RpcAssert.Violations(error).Count);
        Assert.Equal(0, await materials.CountAsync("SELECT COUNT(*) FROM consumption_reports"));
    }
}
