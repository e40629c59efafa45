using System.Net;
using System.Net.Http.Json;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

public sealed class AccessTests
{
    [Theory, BothDatabases]
    public async Task A_trainee_reads_only_their_own_home(DatabaseKind kind)
    {
        await using var materials = await MaterialsHost.StartAsync(kind, "access");
        var pin = (await materials.CreateMaterialAsync("PIN-ACCESS")).MaterialId;
        var product = await materials.CreateProductAsync("ACCESS-PROD", (pin, 1, 0));
        await materials.ReceiveAsync(DistrictOfficeId, "L-ACC", (pin, 10));
        var (mine, theirs) = (NewId(), NewId());
        var programme = NewId();
        var plan = await materials.DispatchAsync((await materials.PlanAsync(programme, product.ProductId, DistrictOfficeId, (mine, 2), (theirs, 3))).KitPlanId);
        var (myHome, theirHome) = (plan.Kits[0].HomeLocationId, plan.Kits[1].HomeLocationId);
        var trainee = materials.As(TestTokens.Mint($"sub-{mine}", Roles.Trainee));

        var own = await trainee.ListBalancesAsync(new ListBalancesRequest { LocationId = myHome });
        Assert.Equal(2, own.Balances.Single().Quantity);
        Assert.Equal(2, (await trainee.GetCapacityAsync(new GetCapacityRequest { TraineeId = mine, ProductId = product.ProductId })).UnitsPossible);
        Assert.Single((await trainee.ListTraineeYieldsAsync(new ListTraineeYieldsRequest { ProgrammeId = programme, TraineeId = mine })).Yields);
        Assert.Equal(myHome, (await trainee.GetLocationAsync(new GetLocationRequest { LocationId = myHome })).LocationId);

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.ListBalancesAsync(new ListBalancesRequest { LocationId = theirHome }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.ListBalancesAsync(new ListBalancesRequest { LocationId = NewId() }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.ListBalancesAsync(new ListBalancesRequest { MaterialId = pin }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.GetCapacityAsync(new GetCapacityRequest { TraineeId = theirs, ProductId = product.ProductId }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.ListTraineeYieldsAsync(new ListTraineeYieldsRequest { ProgrammeId = programme, TraineeId = theirs }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.ListTraineeYieldsAsync(new ListTraineeYieldsRequest { ProgrammeId = programme }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.GetLocationAsync(new GetLocationRequest { LocationId = theirHome }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.ListLedgerEntriesAsync(new ListLedgerEntriesRequest()));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.GetStockMovementAsync(new GetStockMovementRequest { MovementId = plan.Kits[1].MovementId }));
        Assert.Equal(mine, (await trainee.GetStockMovementAsync(new GetStockMovementRequest { MovementId = plan.Kits[0].MovementId })).TraineeId);

        // Without a stored subject, a trainee whose subject is the trainee id is recognised.
        var bySubject = materials.As(TestTokens.Mint(theirs, Roles.Trainee));
        Assert.Equal(3, (await bySubject.ListBalancesAsync(new ListBalancesRequest { LocationId = theirHome })).Balances.Single().Quantity);

        using var http = materials.Host.CreateHttpClient(TestTokens.Mint($"sub-{mine}", Roles.Trainee));
        using var forbidden = await http.GetAsync($"/api/v1/stock/balances?locationId={theirHome}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var allowed = await http.GetAsync($"/api/v1/stock/balances?locationId={myHome}");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Only_operators_change_stock_and_only_services_consume()
    {
        await using var materials = await MaterialsHost.StartAsync(DatabaseKind.Sqlite, "roles");
        var instructor = materials.As(TestTokens.Mint("instructor-1", Roles.Instructor));
        var trainee = materials.As(TestTokens.Mint("trainee-1", Roles.Trainee));
        var integrator = materials.As(TestTokens.Mint("integrator-1", Roles.Integrator));
        var receipt = new ReceiveStockRequest
        {
            RequestId = NewId(),
            LocationId = DistrictOfficeId,
            SupplierDocumentNumber = "D",
            LotCode = "L",
            Lines = { new MaterialQuantity { MaterialId = Sasirangan, Quantity = 1 } },
        };

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, instructor.ReceiveStockAsync(receipt));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, integrator.ReceiveStockAsync(receipt));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.CreateMaterialAsync(new CreateMaterialRequest { RequestId = NewId(), Code = "X", Name = "x", BaseUnit = BaseUnit.Piece }));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, instructor.AdjustStockAsync(new AdjustStockRequest { RequestId = NewId(), LocationId = DistrictOfficeId, MaterialId = Sasirangan, QuantityDelta = 5, Reason = "r" }));
        var consume = new ConsumeForOutputRequest { RequestId = NewId(), ReportId = NewId(), TraineeId = NewId(), ProgrammeId = NewId(), ProductId = MaskProductId, Units = 1 };
        consume.RequestId = consume.ReportId;
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, materials.InternalAs(TestTokens.Mint("trainee-1", Roles.Trainee)).ConsumeForOutputAsync(consume));
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, materials.InternalAs(TestTokens.Mint("instructor-1", Roles.Instructor)).ConsumeForOutputAsync(consume));
        Assert.Equal(0, await materials.CountAsync("SELECT COUNT(*) FROM ledger_entries"));

        // Reads: staff and integrators see stock; everyone sees the catalogue.
        Assert.NotEmpty((await instructor.ListLocationsAsync(new ListLocationsRequest())).Locations);
        Assert.Empty((await integrator.ListBalancesAsync(new ListBalancesRequest { LocationId = DistrictOfficeId })).Balances);
        Assert.NotEmpty((await trainee.ListProductsAsync(new ListProductsRequest())).Products);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, trainee.ListLotsAsync(new ListLotsRequest()));

        using var anonymous = materials.Host.CreateHttpClient();
        using var unauthenticated = await anonymous.GetAsync("/api/v1/materials");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        using var http = materials.Host.CreateHttpClient(TestTokens.Mint("instructor-1", Roles.Instructor));
        using var denied = await http.PostAsJsonAsync("/api/v1/stock/receipts", new { requestId = NewId(), locationId = DistrictOfficeId });
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }
}
