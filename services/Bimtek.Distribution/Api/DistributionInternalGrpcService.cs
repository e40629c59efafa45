using Bimtek.Distribution.Application;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

/// <summary>
/// <c>DistributionInternalService</c> (distribution_internal.proto): the units production's outbox relay hands over,
/// never routed by the gateway. Thin like <see cref="DistributionGrpcService"/>: check the caller (services and
/// operators, as before), validate, call <see cref="Goods"/>.
/// </summary>
internal sealed class DistributionInternalGrpcService(Goods goods) : DistributionInternalService.DistributionInternalServiceBase
{
    public override async Task<ReceiveAcceptedGoodsResponse> ReceiveAcceptedGoods(ReceiveAcceptedGoodsRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Roles.Service, Roles.Operator);
        new RequestValidator()
            .RequestId(request.RequestId)
            .Required("inspection_id", request.InspectionId, 100)
            .Id("programme_id", request.ProgrammeId)
            .Required("trainee_id", request.TraineeId, 100)
            .Required("product_code", request.ProductCode, DistributionGrpcService.ProductCodeLength)
            .Positive("units", request.Units, DistributionGrpcService.MaxUnits)
            .Present("accepted_at", request.AcceptedAt)
            .ThrowIfInvalid();

        // request_id is production's outbox message id: a redelivery adds nothing and gets the same answer.
        await goods.ReceiveAsync(request, context.CancellationToken);
        return ProtoMapping.ToReceived(request);
    }
}
