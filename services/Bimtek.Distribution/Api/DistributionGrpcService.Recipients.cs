using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Distribution.Api;

internal sealed partial class DistributionGrpcService
{
    private const int MaxUserSubjects = 50;

    public override Task<Recipient> CreateRecipient(CreateRecipientRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator);
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Defined("kind", request.Kind)
            .Required("name", request.Name, 200)
            .Required("district", request.District, 100)
            .Optional("contact_person", request.ContactPerson, 200)
            .Optional("phone", request.Phone, 32)
            .Optional("office", request.Office, 64)
            .When(request.UserSubjects.Count > MaxUserSubjects, "user_subjects", $"must have at most {MaxUserSubjects} entries");
        for (var i = 0; i < request.UserSubjects.Count; i++)
        {
            validator.Required($"user_subjects[{i}]", request.UserSubjects[i], 200);
        }
        validator.ThrowIfInvalid();
        return recipients.CreateAsync(caller, request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<Recipient> GetRecipient(GetRecipientRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        new RequestValidator().Id("recipient_id", request.RecipientId).ThrowIfInvalid();
        return (await recipients.GetAsync(caller, request.RecipientId, context.CancellationToken)).ToProto();
    }

    public override async Task<ListRecipientsResponse> ListRecipients(ListRecipientsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var scope = Access.ReadScope(caller);
        new RequestValidator()
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, RecipientStore.Listing)
            .Defined("kind", request.Kind, allowUnspecified: true)
            .Optional("district", request.District, 100)
            .ThrowIfInvalid();
        var page = RecipientStore.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));

        var (rows, next) = await recipients.ListAsync(caller, scope, request, page, context.CancellationToken);
        var response = new ListRecipientsResponse { NextPageToken = next };
        response.Recipients.Add(rows.Select(r => r.ToProto()));
        return response;
    }
}
