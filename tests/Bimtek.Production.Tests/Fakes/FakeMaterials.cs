using Bimtek.Materials.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Bimtek.Production.Tests.Fakes;

/// <summary>
/// Materials' catalogue lookup and ConsumeForOutput, small but faithful: per-trainee stock per
/// material, BOM × units consumed all-or-nothing, FAILED_PRECONDITION with a PreconditionFailure
/// naming each short material (type STOCK, subject the material id, description with the
/// shortfall) and nothing consumed, and idempotent on the report id (request_id).
/// </summary>
public sealed class FakeMaterials : MaterialsService.MaterialsServiceBase
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Product> _products = [];
    private readonly Dictionary<string, List<(string MaterialId, string Code, long PerUnit)>> _boms = [];
    private readonly Dictionary<(string Trainee, string Material), long> _stock = [];
    private readonly Dictionary<string, ConsumeForOutputResponse> _consumed = [];
    private readonly Dictionary<string, int> _applied = [];

    /// <summary>When set, a consumption is applied but its reply is lost (the caller sees UNAVAILABLE).</summary>
    public bool LoseReplies { get; set; }

    public int ConsumeCalls { get; private set; }

    public Product AddProduct(string code, bool medical, params (string Code, long PerUnit)[] bom)
    {
        lock (_lock)
        {
            var product = new Product { ProductId = Guid.NewGuid().ToString(), Code = code, Name = code, UnitName = "unit", Medical = medical };
            _products[code] = product;
            _boms[product.ProductId] = bom.Select(b => (MaterialId: "mat-" + b.Code, b.Code, b.PerUnit)).ToList();
            return product;
        }
    }

    public void Stock(string traineeId, string materialCode, long quantity)
    {
        lock (_lock)
        {
            _stock[(traineeId, "mat-" + materialCode)] = quantity;
        }
    }

    public long OnHand(string traineeId, string materialCode)
    {
        lock (_lock)
        {
            return _stock.GetValueOrDefault((traineeId, "mat-" + materialCode));
        }
    }

    /// <summary>How many times a report's consumption was applied (must never exceed 1).</summary>
    public int TimesApplied(string reportId)
    {
        lock (_lock)
        {
            return _applied.GetValueOrDefault(reportId);
        }
    }

    public int TotalApplied()
    {
        lock (_lock)
        {
            return _applied.Values.Sum();
        }
    }

    public override Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        lock (_lock)
        {
            var response = new ListProductsResponse();
            response.Products.Add(_products.Values.Where(p => request.Code == "" || p.Code == request.Code).OrderBy(p => p.Code));
            return Task.FromResult(response);
        }
    }

    /// <summary>Served by <see cref="FakeMaterialsInternal"/> (MaterialsInternalService).</summary>
    public Task<ConsumeForOutputResponse> ConsumeForOutput(ConsumeForOutputRequest request, ServerCallContext context)
    {
        lock (_lock)
        {
            ConsumeCalls++;
            if (request.RequestId != request.ReportId)
            {
                throw new RpcException(new global::Grpc.Core.Status(StatusCode.InvalidArgument, "request_id must be the report id"));
            }
            if (!_consumed.TryGetValue(request.RequestId, out var response))
            {
                var bom = _boms.GetValueOrDefault(request.ProductId)
                    ?? throw new RpcException(new global::Grpc.Core.Status(StatusCode.NotFound, $"product '{request.ProductId}' was not found"));
                var shortages = bom
                    .Select(line => (line, need: line.PerUnit * request.Units, have: _stock.GetValueOrDefault((request.TraineeId, line.MaterialId))))
                    .Where(x => x.have < x.need)
                    .ToList();
                if (shortages.Count > 0)
                {
                    var failure = new PreconditionFailure();
                    failure.Violations.Add(shortages.Select(s => new PreconditionFailure.Types.Violation
                    {
                        Type = "STOCK",
                        Subject = s.line.MaterialId,
                        Description = $"not enough {s.line.Code}: short {s.need - s.have}",
                    }));
                    var status = new Google.Rpc.Status { Code = (int)StatusCode.FailedPrecondition, Message = "Not enough stock at the trainee's home." };
                    status.Details.Add(Any.Pack(new ErrorInfo { Reason = "INSUFFICIENT_STOCK", Domain = "bimtek.id" }));
                    status.Details.Add(Any.Pack(failure));
                    throw status.ToRpcException();
                }
                foreach (var line in bom)
                {
                    _stock[(request.TraineeId, line.MaterialId)] -= line.PerUnit * request.Units;
                }
                response = new ConsumeForOutputResponse { BomVersion = 1, Movement = new StockMovement() };
                _consumed[request.RequestId] = response;
                _applied[request.ReportId] = _applied.GetValueOrDefault(request.ReportId) + 1;
            }
            if (LoseReplies)
            {
                throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "test: the reply was lost"));
            }
            return Task.FromResult(response);
        }
    }
}

/// <summary>Materials' internal service (ConsumeForOutput) over the state of <see cref="FakeMaterials"/>.</summary>
public sealed class FakeMaterialsInternal(FakeMaterials materials) : MaterialsInternalService.MaterialsInternalServiceBase
{
    public override Task<ConsumeForOutputResponse> ConsumeForOutput(ConsumeForOutputRequest request, ServerCallContext context) =>
        materials.ConsumeForOutput(request, context);
}
