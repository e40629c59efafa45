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
        await using var world = await OfficeWorld.StartAsync(kind, "materials-offices");
        using var database = await TestDatabase.CreateAsync(kind, "materials-offices");
        await using var host = new ServiceHost<Program>(database, world.Route(), Configuration);
        var ofHsu = await world.CreateProgrammeAsync(Hsu);
        var ofHst = await world.CreateProgrammeAsync(Hst);
        var hsu = host.Client<Client>(OperatorOf(Hsu));
        var hst = host.Client<Client>(OperatorOf(Hst));
        var province = host.Client<Client>(OperatorOf(Province));

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

        // HST's own programme is HST's business.
        var hstPlan = await hst.PlanKitsAsync(Plan(ofHst));
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

    private static PlanKitsRequest Plan(string programmeId) => new()
    {
        RequestId = NewId(),
        ProgrammeId = programmeId,
        ProductId = MaskProductId,
        SourceLocationId = DistrictOfficeId,
        Quotas = { new TraineeQuota { TraineeId = NewId(), Quota = 10 } },
    };

    private static async Task<List<LedgerEntry>> LedgerAsync(Client client) =>
        [.. (await client.ListLedgerEntriesAsync(new ListLedgerEntriesRequest { PageSize = 200 })).Entries];
}
