using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Google.Api;
using Google.Protobuf;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
    public override Task<Handover> CreateHandover(CreateHandoverRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator);
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Required("product_code", request.ProductCode, ProductCodeLength)
            .Positive("units", request.Units, MaxUnits)
            .Id("recipient_id", request.RecipientId)
            .Date("day", request.Day)
            .Required("place", request.Place, 300)
            .Signatory("giver", request.Giver)
            .Signatory("receiver", request.Receiver)
            .Optional("note", request.Note, 1000)
            .Optional("programme_title", request.ProgrammeTitle, 300)
            .Optional("product_name", request.ProductName, 200)
            .ThrowIfInvalid();
        return handovers.CreateAsync(caller, request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<Handover> GetHandover(GetHandoverRequest request, ServerCallContext context) =>
        (await ReadHandoverAsync(request.HandoverId, context)).ToProto();

    public override async Task<ListHandoversResponse> ListHandovers(ListHandoversRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator()
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, HandoverStore.Listing)
            .OptionalId("programme_id", request.ProgrammeId)
            .OptionalId("recipient_id", request.RecipientId)
            .Defined("status", request.Status, allowUnspecified: true)
            .ThrowIfInvalid();
        var page = HandoverStore.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));

        var (rows, next) = await handovers.ListAsync(caller, scope, request, page, context.CancellationToken);
        var response = new ListHandoversResponse { NextPageToken = next };
        response.Handovers.Add(rows.Select(r => r.ToProto()));
        return response;
    }

    public override Task<Handover> CancelHandover(CancelHandoverRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator);
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("handover_id", request.HandoverId)
            .Required("reason", request.Reason, 500)
            .ThrowIfInvalid();
        return handovers.CancelAsync(caller, request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Handover> ConfirmHandover(ConfirmHandoverRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator, Roles.Recipient);
        var now = time.GetUtcNow();
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("handover_id", request.HandoverId)
            .When(request.ReceivedAt is not null && request.ReceivedAt.ToDateTimeOffset() > now.AddMinutes(5), "received_at", "must not be in the future")
            .ThrowIfInvalid();
        return handovers.ConfirmAsync(caller, request, now, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<HttpBody> GetHandoverDocument(GetHandoverDocumentRequest request, ServerCallContext context)
    {
        var handover = await ReadHandoverAsync(request.HandoverId, context);
        var pdf = documents.Render(handover);
        var fileName = "BAST-" + string.Concat(handover.DocumentNumber.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_')) + ".pdf";
        context.GetHttpContext().Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        return new HttpBody { ContentType = "application/pdf", Data = ByteString.CopyFrom(pdf) };
    }

    private Task<HandoverRow> ReadHandoverAsync(string handoverId, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator().Id("handover_id", handoverId).ThrowIfInvalid();
        return handovers.ReadAsync(caller, scope, handoverId, context.CancellationToken);
    }
}
