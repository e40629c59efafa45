using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
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
