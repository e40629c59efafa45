using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
    public override Task<OnwardDelivery> RecordOnwardDelivery(RecordOnwardDeliveryRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator, Roles.Recipient);
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Id("recipient_id", request.RecipientId)
            .OptionalId("handover_id", request.HandoverId)
            .Required("place", request.Place, 300)
            .Date("day", request.Day)
            .Positive("units", request.Units, MaxUnits)
            .Range("households", request.Households, 0, MaxUnits)
            .Optional("note", request.Note, 1000);
        // From a handover, programme and product may be left out (they are the handover's); from the holding they are required.
        if (!string.IsNullOrEmpty(request.HandoverId))
        {
            validator.OptionalId("programme_id", request.ProgrammeId).Optional("product_code", request.ProductCode, ProductCodeLength);
        }
        else
        {
            validator.Id("programme_id", request.ProgrammeId).Required("product_code", request.ProductCode, ProductCodeLength);
        }
        validator.ThrowIfInvalid();
        return onward.RecordAsync(caller, request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<ListOnwardDeliveriesResponse> ListOnwardDeliveries(ListOnwardDeliveriesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator()
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, OnwardDeliveryStore.Listing)
            .OptionalId("recipient_id", request.RecipientId)
            .OptionalId("handover_id", request.HandoverId)
            .OptionalId("programme_id", request.ProgrammeId)
            .ThrowIfInvalid();
        var page = OnwardDeliveryStore.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));

        var (rows, next) = await onward.ListAsync(caller, scope, request, page, context.CancellationToken);
        var response = new ListOnwardDeliveriesResponse { NextPageToken = next };
        response.OnwardDeliveries.Add(rows.Select(r => r.ToProto()));
        return response;
    }
}
