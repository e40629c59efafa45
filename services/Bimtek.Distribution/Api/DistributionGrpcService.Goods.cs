using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
    public override Task<ReceiveAcceptedGoodsResponse> ReceiveAcceptedGoods(ReceiveAcceptedGoodsRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Roles.Service, Roles.Operator);
        new RequestValidator()
            .RequestId(request.RequestId)
            .Required("inspection_id", request.InspectionId, 100)
            .Id("programme_id", request.ProgrammeId)
            .Required("trainee_id", request.TraineeId, 100)
            .Required("product_code", request.ProductCode, ProductCodeLength)
            .Positive("units", request.Units, MaxUnits)
            .Present("accepted_at", request.AcceptedAt)
            .ThrowIfInvalid();

        // request_id is production's outbox message id: a redelivery replays the stored answer and adds nothing.
        return goods.ReceiveAsync(request, context.CancellationToken);
    }

    public override async Task<ListFinishedGoodsResponse> ListFinishedGoods(ListFinishedGoodsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        if (!Access.ReadsEverything(caller))
        {
            throw new PermissionDeniedException("Finished goods are read by operators and integrators.");
        }
        new RequestValidator()
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, GoodsStore.Listing)
            .OptionalId("programme_id", request.ProgrammeId)
            .Optional("product_code", request.ProductCode, ProductCodeLength)
            .ThrowIfInvalid();
        var page = GoodsStore.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));

        var (rows, next) = await goods.ListAsync(caller, request, page, context.CancellationToken);
        var response = new ListFinishedGoodsResponse { NextPageToken = next };
        response.FinishedGoods.Add(rows.Select(r => r.ToProto()));
        return response;
    }
}
