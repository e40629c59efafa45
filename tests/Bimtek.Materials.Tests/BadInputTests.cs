using System.Net;
using System.Net.Http.Json;
using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Materials.Tests.MaterialsHost;

namespace Bimtek.Materials.Tests;

public sealed class BadInputTests
{
    [Fact]
    public async Task Bad_input_over_grpc_is_invalid_argument_naming_each_field()
    {
        await using var materials = await MaterialsHost.StartAsync(DatabaseKind.Sqlite, "badgrpc");
        var receipt = new ReceiveStockRequest
        {
            RequestId = "not-a-uuid",
            LocationId = "",
            SupplierDocumentNumber = "",
            LotCode = new string('x', 101),
            Lines =
            {
                new MaterialQuantity { MaterialId = Sasirangan, Quantity = 0 },
                new MaterialQuantity { MaterialId = Sasirangan, Quantity = 1_000_000_000_001 },
            },
        };
        var error = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.ReceiveStockAsync(receipt));
        Assert.Equal(
            new HashSet<string> { "request_id", "location_id", "supplier_document_number", "lot_code", "lines[0].quantity", "lines[1].quantity", "lines[1].material_id" },
            RpcAssert.Fields(error));
        Assert.Equal("INVALID_FIELDS", RpcAssert.Reason(error));

        var consume = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Internal.ConsumeForOutputAsync(new ConsumeForOutputRequest
        {
            RequestId = NewId(),
            ReportId = "r-1",
            TraineeId = NewId(),
            ProgrammeId = NewId(),
            ProductId = MaskProductId,
            Units = 0,
        }));
        Assert.Equal(new HashSet<string> { "report_id", "units" }, RpcAssert.Fields(consume));

        var plan = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.PlanKitsAsync(new PlanKitsRequest
        {
            RequestId = NewId(),
            ProgrammeId = NewId(),
            ProductId = MaskProductId,
            SourceLocationId = DistrictOfficeId,
            Quotas = { new TraineeQuota { TraineeId = "t1", Quota = 0 } },
        }));
        Assert.Equal(new HashSet<string> { "quotas[0].trainee_id", "quotas[0].quota" }, RpcAssert.Fields(plan));

        var adjust = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.AdjustStockAsync(new AdjustStockRequest
        {
            RequestId = NewId(),
            LocationId = DistrictOfficeId,
            MaterialId = Sasirangan,
            QuantityDelta = 0,
            Reason = "",
        }));
        Assert.Equal(new HashSet<string> { "quantity_delta", "reason" }, RpcAssert.Fields(adjust));

        var bom = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.SetBillOfMaterialsAsync(new SetBillOfMaterialsRequest
        {
            RequestId = NewId(),
            ProductId = MaskProductId,
            Lines = { new BomLine { MaterialId = Sasirangan, QuantityPerUnit = 1, WastePerMille = 1001 } },
        }));
        Assert.Equal(new HashSet<string> { "lines[0].waste_per_mille" }, RpcAssert.Fields(bom));

        var home = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.CreateLocationAsync(
            new CreateLocationRequest { RequestId = NewId(), Kind = LocationKind.TraineeHome, Name = "Rumah" }));
        Assert.Contains("kind", RpcAssert.Fields(home));
        var page = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.ListMaterialsAsync(new ListMaterialsRequest { PageSize = 201 }));
        Assert.Contains("page_size", RpcAssert.Fields(page));
        var filterless = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, materials.Operator.ListBalancesAsync(new ListBalancesRequest()));
        Assert.Contains("location_id", RpcAssert.Fields(filterless));
        var same = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => materials.TransferAsync(DistrictOfficeId, DistrictOfficeId, (Sasirangan, 1)));
        Assert.Contains("to_location_id", RpcAssert.Fields(same));

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => materials.ReceiveAsync(NewId(), "L", (Sasirangan, 1)));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => materials.ReceiveAsync(DistrictOfficeId, "L", (NewId(), 1)));
        await RpcAssert.FailsAsync(StatusCode.NotFound, materials.Operator.GetKitPlanAsync(new GetKitPlanRequest { KitPlanId = NewId() }));
        await RpcAssert.FailsAsync(StatusCode.NotFound, materials.Operator.GetStockMovementAsync(new GetStockMovementRequest { MovementId = NewId() }));
        Assert.Equal(0, await materials.CountAsync("SELECT COUNT(*) FROM movements"));
    }

    [Fact]
    public async Task Bad_input_over_rest_is_a_4xx_with_the_same_details()
    {
        await using var materials = await MaterialsHost.StartAsync(DatabaseKind.Sqlite, "badrest");
        using var http = materials.Host.CreateHttpClient(TestTokens.Operator());

        using var invalid = await http.PostAsJsonAsync("/api/v1/stock/receipts", new
        {
            requestId = NewId(),
            locationId = DistrictOfficeId,
            supplierDocumentNumber = "SPB-9",
            lotCode = "L9",
            lines = new[] { new { materialId = Sasirangan, quantity = -5 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var body = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("type.googleapis.com/google.rpc.BadRequest", body);
        Assert.Contains("\"field\":\"lines[0].quantity\"", body);

        using var missing = await http.GetAsync($"/api/v1/materials/{NewId()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var shortTransfer = await http.PostAsJsonAsync("/api/v1/stock/transfers", new
        {
            requestId = NewId(),
            fromLocationId = DistrictOfficeId,
            toLocationId = ProvincialWarehouseId,
            lines = new[] { new { materialId = EarLoop, quantity = 7 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, shortTransfer.StatusCode); // FAILED_PRECONDITION over transcoding
        var shortBody = await shortTransfer.Content.ReadAsStringAsync();
        Assert.Contains("type.googleapis.com/google.rpc.PreconditionFailure", shortBody);
        Assert.Contains("ELASTIC-EARLOOP: short by 7", shortBody);

        using var taken = await http.PostAsJsonAsync("/api/v1/materials", new { requestId = NewId(), code = "THREAD-POLY", name = "again", baseUnit = "BASE_UNIT_CENTIMETRE" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);

        using var page = await http.GetAsync("/api/v1/stock/ledger?pageSize=500");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }
}
