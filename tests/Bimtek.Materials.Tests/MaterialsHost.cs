using Bimtek.Data.Persistence;
using Bimtek.Materials.V1;
using Bimtek.Testing.Hosting;
using Dapper;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Client = Bimtek.Materials.V1.MaterialsService.MaterialsServiceClient;
using InternalClient = Bimtek.Materials.V1.MaterialsInternalService.MaterialsInternalServiceClient;

namespace Bimtek.Materials.Tests;

/// <summary>The materials service on a fresh test database, with helpers for the common steps.</summary>
public sealed class MaterialsHost : IAsyncDisposable
{
    // Reference data shipped by Schema/0002_reference_data.sql.
    public const string ProvincialWarehouseId = "c1000000-0000-4000-8000-000000000001";
    public const string DistrictOfficeId = "c1000000-0000-4000-8000-000000000002";
    public const string MaskProductId = "b1000000-0000-4000-8000-000000000001";
    public const string ApdProductId = "b1000000-0000-4000-8000-000000000002";
    public const string Sasirangan = "a1000000-0000-4000-8000-000000000001";
    public const string Cotton = "a1000000-0000-4000-8000-000000000002";
    public const string EarLoop = "a1000000-0000-4000-8000-000000000003";
    public const string SewingThread = "a1000000-0000-4000-8000-000000000004";

    private MaterialsHost(TestDatabase database, ServiceHost<Program> host)
    {
        Database = database;
        Host = host;
        Operator = host.Client<Client>(TestTokens.Operator());
        Service = host.Client<Client>(TestTokens.Service("production"));
        Internal = host.Client<InternalClient>(TestTokens.Service("production"));
    }

    public TestDatabase Database { get; }
    public ServiceHost<Program> Host { get; }
    public Client Operator { get; }
    public Client Service { get; }

    /// <summary>MaterialsInternalService (consumption for output) as production calls it.</summary>
    public InternalClient Internal { get; }

    public static async Task<MaterialsHost> StartAsync(DatabaseKind kind, string name)
    {
        var database = await TestDatabase.CreateAsync(kind, name);
        return new MaterialsHost(database, new ServiceHost<Program>(database));
    }

    public Client As(string token) => Host.Client<Client>(token);

    public InternalClient InternalAs(string token) => Host.Client<InternalClient>(token);

    public static string NewId() => Guid.NewGuid().ToString();

    public async Task<Material> CreateMaterialAsync(string code, BaseUnit unit = BaseUnit.Piece) =>
        await Operator.CreateMaterialAsync(new CreateMaterialRequest { RequestId = NewId(), Code = code, Name = code, BaseUnit = unit });

    public async Task<string> CreateWarehouseAsync(string name, LocationKind kind = LocationKind.DistrictOffice) =>
        (await Operator.CreateLocationAsync(new CreateLocationRequest { RequestId = NewId(), Kind = kind, Name = name })).LocationId;

    public async Task<StockMovement> ReceiveAsync(string locationId, string lotCode, params (string MaterialId, long Quantity)[] lines)
    {
        var request = new ReceiveStockRequest
        {
            RequestId = NewId(),
            LocationId = locationId,
            SupplierDocumentNumber = $"SPB/{lotCode}",
            LotCode = lotCode,
        };
        request.Lines.Add(lines.Select(l => new MaterialQuantity { MaterialId = l.MaterialId, Quantity = l.Quantity }));
        return await Operator.ReceiveStockAsync(request);
    }

    public async Task<StockMovement> TransferAsync(string from, string to, params (string MaterialId, long Quantity)[] lines)
    {
        var request = new TransferStockRequest { RequestId = NewId(), FromLocationId = from, ToLocationId = to };
        request.Lines.Add(lines.Select(l => new MaterialQuantity { MaterialId = l.MaterialId, Quantity = l.Quantity }));
        return await Operator.TransferStockAsync(request);
    }

    public async Task<Product> CreateProductAsync(string code, params (string MaterialId, long PerUnit, int Waste)[] bom)
    {
        var request = new CreateProductRequest { RequestId = NewId(), Code = code, Name = code, UnitName = "unit" };
        request.BomLines.Add(bom.Select(b => new BomLine { MaterialId = b.MaterialId, QuantityPerUnit = b.PerUnit, WastePerMille = b.Waste }));
        return await Operator.CreateProductAsync(request);
    }

    public async Task<KitPlan> PlanAsync(string programmeId, string productId, string sourceId, params (string TraineeId, int Quota)[] quotas)
    {
        var request = new PlanKitsRequest { RequestId = NewId(), ProgrammeId = programmeId, ProductId = productId, SourceLocationId = sourceId };
        request.Quotas.Add(quotas.Select(q => new TraineeQuota { TraineeId = q.TraineeId, Quota = q.Quota, TraineeSubject = $"sub-{q.TraineeId}" }));
        return await Operator.PlanKitsAsync(request);
    }

    public async Task<KitPlan> DispatchAsync(string kitPlanId) =>
        await Operator.DispatchKitPlanAsync(new DispatchKitPlanRequest { RequestId = NewId(), KitPlanId = kitPlanId });

    public Task<ConsumeForOutputResponse> ConsumeAsync(string reportId, string traineeId, string programmeId, string productId, int units) =>
        Internal.ConsumeForOutputAsync(new ConsumeForOutputRequest
        {
            RequestId = reportId,
            ReportId = reportId,
            TraineeId = traineeId,
            ProgrammeId = programmeId,
            ProductId = productId,
            Units = units,
        }).ResponseAsync;

    /// <summary>Balance of a material at a location as the service reports it (0 when absent).</summary>
    public async Task<long> BalanceAsync(string locationId, string materialId)
    {
        var page = await Operator.ListBalancesAsync(new ListBalancesRequest { LocationId = locationId, MaterialId = materialId, IncludeZero = true });
        return page.Balances.SingleOrDefault()?.Quantity ?? 0;
    }

    public async Task<string> HomeOfAsync(string traineeId) =>
        (await Operator.ListLocationsAsync(new ListLocationsRequest { TraineeId = traineeId })).Locations.Single().LocationId;

    private sealed class PairCheck
    {
        public string MaterialId { get; set; } = "";
        public string LocationId { get; set; } = "";
        public long Quantity { get; set; }
        public long LedgerSum { get; set; }
        public long LotSum { get; set; }
    }

    /// <summary>
    /// The ledger's invariants, read straight from the database: every balance equals the sum of
    /// its ledger entries and of its lot balances, every lot balance equals its lot's ledger sum,
    /// nothing is negative, and no ledger pair lacks its balance row.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckLedgerAsync()
    {
        var problems = new List<string>();
        var database = Host.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenConnectionAsync();
        var pairs = await connection.QueryAsync<PairCheck>(
            "SELECT b.material_id AS MaterialId, b.location_id AS LocationId, b.quantity AS Quantity, " +
            "COALESCE((SELECT SUM(e.quantity_delta) FROM ledger_entries e WHERE e.material_id = b.material_id AND e.location_id = b.location_id), 0) AS LedgerSum, " +
            "COALESCE((SELECT SUM(l.quantity) FROM lot_balances l WHERE l.material_id = b.material_id AND l.location_id = b.location_id), 0) AS LotSum " +
            "FROM balances b");
        foreach (var pair in pairs)
        {
            if (pair.Quantity < 0 || pair.Quantity != pair.LedgerSum || pair.Quantity != pair.LotSum)
            {
                problems.Add($"{pair.MaterialId}@{pair.LocationId}: balance {pair.Quantity}, ledger {pair.LedgerSum}, lots {pair.LotSum}");
            }
        }
        var lots = await connection.QueryAsync<PairCheck>(
            "SELECT l.material_id AS MaterialId, l.location_id || '/' || l.lot_id AS LocationId, l.quantity AS Quantity, " +
            "COALESCE((SELECT SUM(e.quantity_delta) FROM ledger_entries e WHERE e.material_id = l.material_id AND e.location_id = l.location_id AND e.lot_id = l.lot_id), 0) AS LedgerSum " +
            "FROM lot_balances l");
        problems.AddRange(lots.Where(l => l.Quantity < 0 || l.Quantity != l.LedgerSum)
            .Select(l => $"lot {l.MaterialId}@{l.LocationId}: {l.Quantity} vs ledger {l.LedgerSum}"));
        var orphans = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM balances b WHERE b.material_id = e.material_id AND b.location_id = e.location_id)");
        if (orphans > 0)
        {
            problems.Add($"{orphans} ledger entries without a balance row");
        }
        var negative = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE balance_after < 0");
        if (negative > 0)
        {
            problems.Add($"{negative} ledger entries with a negative balance_after");
        }
        return problems;
    }

    public async Task AssertLedgerConsistentAsync() => Assert.Empty(await CheckLedgerAsync());

    public async Task<long> CountAsync(string sql)
    {
        var database = Host.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Database.Dispose();
    }
}

public static class RpcAssert
{
    public static async Task<RpcException> FailsAsync(StatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        return error;
    }

    public static async Task<RpcException> FailsAsync<T>(StatusCode code, AsyncUnaryCall<T> call) =>
        await FailsAsync(code, async () => await call.ResponseAsync);

    public static string Reason(RpcException error) => error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason ?? "";

    public static IReadOnlySet<string> Fields(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToHashSet() ?? [];

    public static IReadOnlyList<PreconditionFailure.Types.Violation> Violations(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<PreconditionFailure>()?.Violations.ToList() ?? [];
}
