using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

public sealed class StockTests
{
    [Theory, BothDatabases]
    public async Task Receipts_make_lots_and_transfers_take_the_oldest_lot_first(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "fifo");
        var cord = (await materials.CreateMaterialAsync("CORD-FIFO", BaseUnit.Centimetre)).MaterialId;
        var first = await materials.ReceiveAsync(ProvincialWarehouseId, "LOT-A", (cord, 100));
        var second = await materials.ReceiveAsync(ProvincialWarehouseId, "LOT-B", (cord, 100));
        var lotA = Assert.Single(first.Entries).LotId;
        var lotB = Assert.Single(second.Entries).LotId;
        Assert.NotEqual(lotA, lotB);
        Assert.Equal(200, second.Entries[0].BalanceAfter);

        var transfer = await materials.TransferAsync(ProvincialWarehouseId, DistrictOfficeId, (cord, 150));

        Assert.Equal(MovementKind.Transfer, transfer.Kind);
        var leaving = transfer.Entries.Where(e => e.LocationId == ProvincialWarehouseId).ToList();
        Assert.Equal([(lotA, -100L, 100L), (lotB, -50L, 50L)], leaving.Select(e => (e.LotId, e.QuantityDelta, e.BalanceAfter)));
        var arriving = transfer.Entries.Where(e => e.LocationId == DistrictOfficeId).ToList();
        Assert.Equal([(lotA, 100L), (lotB, 50L)], arriving.Select(e => (e.LotId, e.QuantityDelta)));
        Assert.Equal(50, await materials.BalanceAsync(ProvincialWarehouseId, cord));
        Assert.Equal(150, await materials.BalanceAsync(DistrictOfficeId, cord));

        var lots = (await materials.Operator.ListLotsAsync(new ListLotsRequest { MaterialId = cord })).Lots;
        Assert.Equal(["LOT-B", "LOT-A"], lots.Select(l => l.LotCode)); // newest first
        Assert.All(lots, l => Assert.Equal(100, l.RemainingQuantity));
        var movement = await materials.Operator.GetStockMovementAsync(new GetStockMovementRequest { MovementId = transfer.MovementId });
        Assert.Equal(transfer, movement);
        await materials.AssertLedgerConsistentAsync();
    }

    [Theory, BothDatabases]
    public async Task A_transfer_taking_more_lots_than_one_statement_holds_takes_each_once_and_keeps_the_ledger(DatabaseKind kind)
    {
        // 101 lots of one material: the withdrawal is two UPDATEs of lot rows, the ledger 202 entries in three INSERTs.
        await using var materials = await MaterialsHost.StartAsync(kind, "many-lots");
        var bead = (await materials.CreateMaterialAsync("BEAD-MANY")).MaterialId;
        for (var i = 0; i < 101; i++)
        {
            await materials.ReceiveAsync(ProvincialWarehouseId, $"LOT-M{i:D3}", (bead, 2));
        }

        var transfer = await materials.TransferAsync(ProvincialWarehouseId, DistrictOfficeId, (bead, 201));

        var leaving = transfer.Entries.Where(e => e.LocationId == ProvincialWarehouseId).ToList();
        Assert.Equal(101, leaving.Count);
        Assert.Equal(Enumerable.Repeat(-2L, 100).Append(-1L), leaving.Select(e => e.QuantityDelta));
        Assert.Equal(1, leaving[^1].BalanceAfter);
        Assert.Equal(202, transfer.Entries.Count);
        Assert.Equal(1, await materials.BalanceAsync(ProvincialWarehouseId, bead));
        Assert.Equal(201, await materials.BalanceAsync(DistrictOfficeId, bead));
        await materials.AssertLedgerConsistentAsync();
    }

    [Theory, BothDatabases]
    public async Task A_short_transfer_names_each_short_material_and_moves_nothing(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "short");
        var a = (await materials.CreateMaterialAsync("SHORT-A")).MaterialId;
        var b = (await materials.CreateMaterialAsync("SHORT-B")).MaterialId;
        var c = (await materials.CreateMaterialAsync("SHORT-C")).MaterialId;
        await materials.ReceiveAsync(ProvincialWarehouseId, "L1", (a, 10), (b, 10), (c, 10));
        var before = await materials.CountAsync("SELECT COUNT(*) FROM ledger_entries");

        var error = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => materials.TransferAsync(ProvincialWarehouseId, DistrictOfficeId, (a, 11), (b, 5), (c, 13)));

        Assert.Equal("INSUFFICIENT_STOCK", RpcAssert.Reason(error));
        var violations = RpcAssert.Violations(error);
        Assert.Equal([a, c], violations.Select(v => v.Subject));
        Assert.Contains("SHORT-A: short by 1", violations[0].Description);
        Assert.Contains("SHORT-C: short by 3", violations[1].Description);
        Assert.Equal(before, await materials.CountAsync("SELECT COUNT(*) FROM ledger_entries"));
        Assert.Equal(10, await materials.BalanceAsync(ProvincialWarehouseId, b));
        Assert.Equal(0, await materials.BalanceAsync(DistrictOfficeId, b));
    }

    [Theory, BothDatabases]
    public async Task Returns_and_adjustments_keep_balances_non_negative(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "adjust");
        var cloth = (await materials.CreateMaterialAsync("CLOTH-ADJ", BaseUnit.SquareCentimetre)).MaterialId;
        var product = await materials.CreateProductAsync("PROD-ADJ", (cloth, 10, 0));
        await materials.ReceiveAsync(DistrictOfficeId, "L-ADJ", (cloth, 100));
        var trainee = NewId();
        var plan = await materials.DispatchAsync((await materials.PlanAsync(NewId(), product.ProductId, DistrictOfficeId, (trainee, 5))).KitPlanId);
        var home = plan.Kits.Single().HomeLocationId;

        var returned = await materials.Operator.ReturnStockAsync(new ReturnStockRequest
        {
            RequestId = NewId(),
            FromLocationId = home,
            ToLocationId = DistrictOfficeId,
            Lines = { new MaterialQuantity { MaterialId = cloth, Quantity = 20 } },
        });
        Assert.Equal(MovementKind.Return, returned.Kind);
        Assert.Equal(trainee, returned.TraineeId);
        Assert.Equal(30, await materials.BalanceAsync(home, cloth));
        Assert.Equal(70, await materials.BalanceAsync(DistrictOfficeId, cloth));

        var wrongWay = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, materials.Operator.ReturnStockAsync(new ReturnStockRequest
        {
            RequestId = NewId(),
            FromLocationId = DistrictOfficeId,
            ToLocationId = ProvincialWarehouseId,
            Lines = { new MaterialQuantity { MaterialId = cloth, Quantity = 1 } },
        }));
        Assert.Equal("WRONG_LOCATION_KIND", RpcAssert.Reason(wrongWay));

        var tooMuch = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, materials.Operator.AdjustStockAsync(new AdjustStockRequest
        {
            RequestId = NewId(),
            LocationId = home,
            MaterialId = cloth,
            QuantityDelta = -31,
            Reason = "stock count",
        }));
        Assert.Equal(cloth, Assert.Single(RpcAssert.Violations(tooMuch)).Subject);

        var loss = await materials.Operator.AdjustStockAsync(new AdjustStockRequest
        {
            RequestId = NewId(),
            LocationId = home,
            MaterialId = cloth,
            QuantityDelta = -30,
            Reason = "water damage",
        });
        Assert.Equal(("water damage", "operator-1", 0L), (loss.Reason, loss.RecordedBy, loss.Entries.Single().BalanceAfter));
        var found = await materials.Operator.AdjustStockAsync(new AdjustStockRequest
        {
            RequestId = NewId(),
            LocationId = home,
            MaterialId = cloth,
            QuantityDelta = 4,
            Reason = "found in a drawer",
        });
        Assert.Equal("", found.Entries.Single().LotId);
        Assert.Equal(4, await materials.BalanceAsync(home, cloth));

        var yields = await materials.Operator.ListTraineeYieldsAsync(new ListTraineeYieldsRequest { ProgrammeId = plan.ProgrammeId, TraineeId = trainee });
        var line = yields.Yields.Single().Lines.Single();
        Assert.Equal((50L, 0L, 20L, -26L, 4L), (line.Sent, line.Consumed, line.Returned, line.Adjusted, line.OnHand));
        Assert.True(line.OverAllowance); // 26 gone with no units reported
        await materials.AssertLedgerConsistentAsync();
    }

    [Theory, BothDatabases]
    public async Task The_ledger_pages_newest_first_and_filters(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "ledger");
        var pin = (await materials.CreateMaterialAsync("PIN-LEDGER")).MaterialId;
        for (var i = 0; i < 5; i++)
        {
            await materials.ReceiveAsync(DistrictOfficeId, $"P{i}", (pin, i + 1));
        }
        await materials.TransferAsync(DistrictOfficeId, ProvincialWarehouseId, (pin, 1));

        var seen = new List<LedgerEntry>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await materials.Operator.ListLedgerEntriesAsync(new ListLedgerEntriesRequest
            {
                MaterialId = pin,
                LocationId = DistrictOfficeId,
                PageSize = 2,
                PageToken = token,
            });
            seen.AddRange(page.Entries);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);
        Assert.Equal(3, pages);
        Assert.Equal(6, seen.Count);
        Assert.Equal(MovementKind.Transfer, seen[0].Kind);
        Assert.Equal(-1, seen[0].QuantityDelta);

        var receipts = await materials.Operator.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { MaterialId = pin, Kind = MovementKind.Receipt });
        Assert.Equal(5, receipts.Entries.Count);
        Assert.Equal([5L, 4, 3, 2, 1], receipts.Entries.Select(e => e.QuantityDelta));

        var balances = await materials.Operator.ListBalancesAsync(new ListBalancesRequest { MaterialId = pin });
        Assert.Equal(2, balances.Balances.Count);
        Assert.Equal(15, balances.Balances.Sum(b => b.Quantity));
        Assert.All(balances.Balances, b => Assert.Equal("PIN-LEDGER", b.MaterialCode));

        var bad = await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            materials.Operator.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { PageToken = "bm90LWEtdG9rZW4=" }));
        Assert.Contains("page_token", RpcAssert.Fields(bad));
    }

    [Fact]
    public async Task Reference_data_ships_the_warehouse_office_and_both_seed_products()
    {
        await using var materials = await MaterialsHost.StartAsync(DatabaseKind.Sqlite, "seed");
        var mask = (await materials.Operator.ListProductsAsync(new ListProductsRequest { Code = "MASK-SASIRANGAN-3PLY" })).Products.Single();
        Assert.Equal(MaskProductId, mask.ProductId);
        Assert.False(mask.Medical);
        Assert.Equal(
            [("ELASTIC-EARLOOP", 2L, 50), ("FAB-COTTON-150", 600L, 100), ("FAB-SASIRANGAN-110", 320L, 100), ("THREAD-POLY", 500L, 100)],
            mask.CurrentBom.Lines.Select(l => (l.MaterialCode, l.QuantityPerUnit, l.WastePerMille)));
        var apd = (await materials.Operator.ListProductsAsync(new ListProductsRequest { Code = "APD-SET" })).Products.Single();
        Assert.True(apd.Medical);
        Assert.Equal(4, apd.CurrentBom.Lines.Count);
        var locations = (await materials.Operator.ListLocationsAsync(new ListLocationsRequest())).Locations;
        Assert.Equal([LocationKind.ProvincialWarehouse, LocationKind.DistrictOffice], locations.Select(l => l.Kind));
    }

    [Theory, BothDatabases]
    public async Task Catalogue_codes_are_unique_and_a_bom_names_known_materials(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "catalogue");
        await materials.CreateMaterialAsync("BUTTON-12");
        var taken = await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => materials.CreateMaterialAsync("BUTTON-12"));
        Assert.Equal("MATERIAL_CODE_TAKEN", RpcAssert.Reason(taken));
        var productTaken = await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => materials.CreateProductAsync("APD-SET"));
        Assert.Equal("PRODUCT_CODE_TAKEN", RpcAssert.Reason(productTaken));
        var unknown = NewId();
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => materials.CreateProductAsync("BAG-1", (unknown, 1, 0)));
        Assert.Empty((await materials.Operator.ListProductsAsync(new ListProductsRequest { Code = "BAG-1" })).Products);
        await RpcAssert.FailsAsync(StatusCode.NotFound, materials.Operator.GetBomVersionAsync(new GetBomVersionRequest { ProductId = MaskProductId, Version = 2 }));
        await RpcAssert.FailsAsync(StatusCode.NotFound, materials.Operator.GetMaterialAsync(new GetMaterialRequest { MaterialId = unknown }));
        var noBom = await materials.CreateProductAsync("NO-BOM");
        Assert.Null(noBom.CurrentBom);
        var error = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => materials.PlanAsync(NewId(), noBom.ProductId, DistrictOfficeId, (NewId(), 1)));
        Assert.Equal("NO_BILL_OF_MATERIALS", RpcAssert.Reason(error));
    }
}
