using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.Offices;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;
using static Bimtek.Testing.Offices.OfficeWorld;
using Client = Bimtek.Materials.V1.MaterialsService.MaterialsServiceClient;

namespace Bimtek.Materials.Tests;

/// <summary>
/// Offices reach materials, learnt from the real participants service: an operator of another district can neither
/// see nor change a programme's kits, stock movements and ledger entries; the district's own operator and the
/// province's can; another office's programme or record gets the same answer as an id that does not exist.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OfficeTests
{
    [Theory, BothDatabases]
    public async Task Another_districts_operator_is_refused_a_programmes_kits_and_stock_and_the_province_sees_them(DatabaseKind kind)
    {
        await using var run = await OfficeRun<Program, Client>.StartAsync(kind, "materials-offices");
        var (ofHsu, ofHst, hsu, hst, province) = run;
        var host = run.Host;

        // Stock for HSU's programme arrives at the district office; HSU plans and dispatches the kits.
        var receipt = await hsu.ReceiveStockAsync(Receipt(ofHsu));
        var plan = await hsu.PlanKitsAsync(Plan(ofHsu));
        var dispatched = await hsu.DispatchKitPlanAsync(new DispatchKitPlanRequest { RequestId = NewId(), KitPlanId = plan.KitPlanId });
        Assert.All(dispatched.Kits, k => Assert.Equal(KitStatus.Dispatched, k.Status));

        // HST: another district's programme named by id is refused, exactly like a programme that does not exist.
        var unknownProgramme = NewId();
        await AssertSameAnswerAsync(StatusCode.PermissionDenied, id => hst.PlanKitsAsync(Plan(id)).ResponseAsync, ofHsu, unknownProgramme);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied, id => hst.ReceiveStockAsync(Receipt(id)).ResponseAsync, ofHsu, unknownProgramme);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { ProgrammeId = id }).ResponseAsync, ofHsu, unknownProgramme);
        // ...and its records found by their own ids are answered as unknown ones.
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = id }).ResponseAsync, plan.KitPlanId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound,
            id => hst.DispatchKitPlanAsync(new DispatchKitPlanRequest { RequestId = NewId(), KitPlanId = id }).ResponseAsync, plan.KitPlanId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound,
            id => hst.GetStockMovementAsync(new GetStockMovementRequest { MovementId = id }).ResponseAsync, receipt.MovementId, NewId());
        // The ledger without a filter leaves HSU's programme out for HST.
        Assert.DoesNotContain(await LedgerAsync(hst), e => e.ProgrammeId == ofHsu);

        // HST's own programme is HST's business, from HST's own location (HSU's district office is HSU's).
        var hstOffice = await hst.CreateLocationAsync(new CreateLocationRequest { RequestId = NewId(), Kind = LocationKind.DistrictOffice, Name = "Kantor HST" });
        var hstPlan = await hst.PlanKitsAsync(Plan(ofHst, hstOffice.LocationId));
        Assert.Equal(ofHst, hstPlan.ProgrammeId);

        // HSU and the province read HSU's programme's records; the province also HST's.
        foreach (var reader in new[] { hsu, province })
        {
            Assert.Equal(plan.KitPlanId, (await reader.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = plan.KitPlanId })).KitPlanId);
            Assert.Equal(receipt.MovementId, (await reader.GetStockMovementAsync(new GetStockMovementRequest { MovementId = receipt.MovementId })).MovementId);
            Assert.Contains(await LedgerAsync(reader), e => e.ProgrammeId == ofHsu && e.MovementId == receipt.MovementId);
            Assert.NotEmpty((await reader.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { ProgrammeId = ofHsu })).Entries);
        }
        Assert.Equal(hstPlan.KitPlanId, (await province.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = hstPlan.KitPlanId })).KitPlanId);
        await RpcAssert.FailsAsync(StatusCode.NotFound, hsu.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = hstPlan.KitPlanId }));
        // An operator without an office claim is the default office's (HSU); other services' relays act for every office.
        var legacy = host.Client<Client>(TestTokens.Operator());
        Assert.Equal(plan.KitPlanId, (await legacy.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = plan.KitPlanId })).KitPlanId);
        await RpcAssert.FailsAsync(StatusCode.NotFound, legacy.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = hstPlan.KitPlanId }));
        var relay = host.Client<Client>(TestTokens.Service("production"));
        Assert.Equal(hstPlan.KitPlanId, (await relay.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = hstPlan.KitPlanId })).KitPlanId);
    }

    private static ReceiveStockRequest Receipt(string programmeId)
    {
        var request = new ReceiveStockRequest
        {
            RequestId = NewId(),
            LocationId = DistrictOfficeId,
            SupplierDocumentNumber = "SPB/OFFICES",
            LotCode = "LOT-" + NewId()[..8],
            ProgrammeId = programmeId,
        };
        request.Lines.Add(new MaterialQuantity { MaterialId = Sasirangan, Quantity = 1_000_000 });
        request.Lines.Add(new MaterialQuantity { MaterialId = Cotton, Quantity = 2_000_000 });
        request.Lines.Add(new MaterialQuantity { MaterialId = EarLoop, Quantity = 10_000 });
        request.Lines.Add(new MaterialQuantity { MaterialId = SewingThread, Quantity = 1_000_000 });
        return request;
    }

    private static PlanKitsRequest Plan(string programmeId, string source = DistrictOfficeId) => new()
    {
        RequestId = NewId(),
        ProgrammeId = programmeId,
        ProductId = MaskProductId,
        SourceLocationId = source,
        Quotas = { new TraineeQuota { TraineeId = NewId(), Quota = 10 } },
    };

    [Theory, BothDatabases]
    public async Task Locations_balances_and_lots_are_their_offices_and_trainee_homes_their_programmes(DatabaseKind kind)
    {
        await using var run = await OfficeRun<Program, Client>.StartAsync(kind, "materials-locations");
        var (ofHsu, ofHst, hsu, hst, province) = run;
        var host = run.Host;

        // A location is its creator's office; a province creates one for a district, a district never for another office.
        var hstOffice = await hst.CreateLocationAsync(new CreateLocationRequest { RequestId = NewId(), Kind = LocationKind.DistrictOffice, Name = "Kantor HST" });
        Assert.Equal(Hst, hstOffice.Office);
        var hstStore = await province.CreateLocationAsync(new CreateLocationRequest { RequestId = NewId(), Kind = LocationKind.DistrictOffice, Name = "Gudang HST", Office = Hst });
        Assert.Equal(Hst, hstStore.Office);
        var provincial = await province.CreateLocationAsync(new CreateLocationRequest { RequestId = NewId(), Kind = LocationKind.ProvincialWarehouse, Name = "Gudang Provinsi" });
        Assert.Equal(Province, provincial.Office);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            hst.CreateLocationAsync(new CreateLocationRequest { RequestId = NewId(), Kind = LocationKind.DistrictOffice, Name = "X", Office = Hsu }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied,
            hst.CreateLocationAsync(new CreateLocationRequest { RequestId = NewId(), Kind = LocationKind.DistrictOffice, Name = "X", Office = Province }));

        // HSU receives at its district office (the reference data's: the default office's) and sends kits home; HST receives at its own.
        var hsuReceipt = await hsu.ReceiveStockAsync(Receipt(ofHsu));
        var plan = await hsu.PlanKitsAsync(Plan(ofHsu));
        await hsu.DispatchKitPlanAsync(new DispatchKitPlanRequest { RequestId = NewId(), KitPlanId = plan.KitPlanId });
        var trainee = plan.Kits.Single().TraineeId;
        var home = Assert.Single((await hsu.ListLocationsAsync(new ListLocationsRequest { TraineeId = trainee })).Locations);
        Assert.Equal(Hsu, home.Office); // the home is the office of the programme whose kit reached it
        var hstReceiptRequest = Receipt(ofHst);
        hstReceiptRequest.LocationId = hstOffice.LocationId;
        var hstReceipt = await hst.ReceiveStockAsync(hstReceiptRequest);

        // HST: HSU's locations (the trainee's home among them) are unknown ids, on reads and on writes.
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.GetLocationAsync(new GetLocationRequest { LocationId = id }).ResponseAsync, home.LocationId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.GetLocationAsync(new GetLocationRequest { LocationId = id }).ResponseAsync, DistrictOfficeId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound, id =>
        {
            var receipt = Receipt(ofHst);
            receipt.LocationId = id;
            return hst.ReceiveStockAsync(receipt).ResponseAsync;
        }, DistrictOfficeId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.AdjustStockAsync(new AdjustStockRequest
        {
            RequestId = NewId(),
            LocationId = id,
            MaterialId = Cotton,
            QuantityDelta = -1,
            Reason = "hilang",
        }).ResponseAsync, home.LocationId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.TransferStockAsync(new TransferStockRequest
        {
            RequestId = NewId(),
            FromLocationId = hstOffice.LocationId,
            ToLocationId = id,
            Lines = { new MaterialQuantity { MaterialId = Cotton, Quantity = 1 } },
        }).ResponseAsync, home.LocationId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.TransferStockAsync(new TransferStockRequest
        {
            RequestId = NewId(),
            FromLocationId = id,
            ToLocationId = hstOffice.LocationId,
            Lines = { new MaterialQuantity { MaterialId = Cotton, Quantity = 1 } },
        }).ResponseAsync, DistrictOfficeId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.PlanKitsAsync(Plan(ofHst, id)).ResponseAsync, DistrictOfficeId, NewId());

        // HST's lists hold HST's locations, balances, lots and ledger entries only.
        Assert.Equal(new[] { hstOffice.LocationId, hstStore.LocationId }.Order(), (await LocationIdsAsync(hst)).Order());
        Assert.Empty((await hst.ListBalancesAsync(new ListBalancesRequest { LocationId = home.LocationId })).Balances);
        Assert.Empty((await hst.ListBalancesAsync(new ListBalancesRequest { LocationKind = LocationKind.TraineeHome })).Balances);
        Assert.All((await hst.ListBalancesAsync(new ListBalancesRequest { MaterialId = Cotton, PageSize = 200 })).Balances,
            b => Assert.Equal(hstOffice.LocationId, b.LocationId));
        Assert.Equal(LotIds(hstReceipt), (await LotsAsync(hst)).Select(l => l.LotId).Order());
        Assert.All(await LedgerAsync(hst), e => Assert.Equal(hstOffice.LocationId, e.LocationId));
        // A trainee home of another office is answered as a trainee without a home: nothing on hand.
        var foreignCapacity = await hst.GetCapacityAsync(new GetCapacityRequest { TraineeId = trainee, ProductId = MaskProductId });
        var unknownCapacity = await hst.GetCapacityAsync(new GetCapacityRequest { TraineeId = NewId(), ProductId = MaskProductId });
        Assert.Equal(unknownCapacity.Lines.Select(l => l.OnHand), foreignCapacity.Lines.Select(l => l.OnHand));
        Assert.True((await hsu.GetCapacityAsync(new GetCapacityRequest { TraineeId = trainee, ProductId = MaskProductId })).Lines.All(l => l.OnHand > 0));

        // HSU sees its own (the home, the reference district office) and not HST's; what remains of its lot is what is at its locations.
        var hsuLocations = await LocationIdsAsync(hsu);
        Assert.Contains(home.LocationId, hsuLocations);
        Assert.Contains(DistrictOfficeId, hsuLocations);
        Assert.DoesNotContain(hstOffice.LocationId, hsuLocations);
        Assert.Equal(LotIds(hsuReceipt), (await LotsAsync(hsu)).Select(l => l.LotId).Order());
        Assert.NotEmpty((await hsu.ListBalancesAsync(new ListBalancesRequest { LocationId = home.LocationId })).Balances);
        await RpcAssert.FailsAsync(StatusCode.NotFound, hsu.GetLocationAsync(new GetLocationRequest { LocationId = hstOffice.LocationId }));

        // The province sees both districts' locations and lots, and changes a district's stock.
        var provinceLocations = await LocationIdsAsync(province);
        Assert.Contains(home.LocationId, provinceLocations);
        Assert.Contains(hstOffice.LocationId, provinceLocations);
        Assert.Contains(provincial.LocationId, provinceLocations);
        Assert.Equal(LotIds(hsuReceipt).Concat(LotIds(hstReceipt)).Order(), (await LotsAsync(province)).Select(l => l.LotId).Order());
        await province.TransferStockAsync(new TransferStockRequest
        {
            RequestId = NewId(),
            FromLocationId = hstOffice.LocationId,
            ToLocationId = hstStore.LocationId,
            Lines = { new MaterialQuantity { MaterialId = Cotton, Quantity = 5 } },
        });
        // ...but a district never sees its province's own locations.
        Assert.DoesNotContain(provincial.LocationId, hsuLocations);
        await RpcAssert.FailsAsync(StatusCode.NotFound, hst.GetLocationAsync(new GetLocationRequest { LocationId = provincial.LocationId }));
        // Other services' relays see every office's.
        var relay = host.Client<Client>(TestTokens.Service("production"));
        Assert.Equal(Hsu, (await relay.GetLocationAsync(new GetLocationRequest { LocationId = home.LocationId })).Office);
    }

    private static IOrderedEnumerable<string> LotIds(StockMovement receipt) => receipt.Entries.Select(e => e.LotId).Distinct().Order();

    private static async Task<List<string>> LocationIdsAsync(Client client) =>
        [.. (await client.ListLocationsAsync(new ListLocationsRequest { PageSize = 200 })).Locations.Select(l => l.LocationId)];

    private static async Task<List<Lot>> LotsAsync(Client client) =>
        [.. (await client.ListLotsAsync(new ListLotsRequest { PageSize = 200 })).Lots];

    private static async Task<List<LedgerEntry>> LedgerAsync(Client client) =>
        [.. (await client.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { PageSize = 200 })).Entries];
}
