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

    public override async Task<Recipient> CreateRecipient(CreateRecipientRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Roles.Operator);
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Defined("kind", request.Kind)
            .Required("name", request.Name, 200)
            .Required("district", request.District, 100)
            .Optional("contact_person", request.ContactPerson, 200)
            .Optional("phone", request.Phone, 32)
            .When(request.UserSubjects.Count > MaxUserSubjects, "user_subjects", $"must have at most {MaxUserSubjects} entries");
        for (var i = 0; i < request.UserSubjects.Count; i++)
        {
            validator.Required($"user_subjects[{i}]", request.UserSubjects[i], 200);
        }
        validator.ThrowIfInvalid();

        return await idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var row = new RecipientRow
            {
                RecipientId = Guid.CreateVersion7().ToString(),
                Kind = (long)request.Kind,
                Name = request.Name.Trim(),
                District = request.District.Trim(),
                ContactPerson = request.ContactPerson.Trim(),
                Phone = request.Phone.Trim(),
                CreatedAt = Now(),
                UserSubjects = [.. request.UserSubjects.Select(s => s.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            };
            await RecipientStore.InsertAsync(Sql.Of(session), row);
            await accounts.RecipientCreatedAsync(session, row);
            return row.ToProto();
        }, context.CancellationToken);
    }

    public override async Task<Recipient> GetRecipient(GetRecipientRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        new RequestValidator().Id("recipient_id", request.RecipientId).ThrowIfInvalid();
        return await database.ReadAsync(async sql =>
        {
            await Access.EnsureMayReadAsync(sql, caller, request.RecipientId);
            var row = await RecipientStore.GetAsync(sql, request.RecipientId) ?? throw new NotFoundException("Recipient", request.RecipientId);
            return row.ToProto();
        }, context.CancellationToken);
    }

    public override async Task<ListRecipientsResponse> ListRecipients(ListRecipientsRequest request, ServerCallContext context)
    {
        var scope = Access.ReadScope(context.GetCaller());
        new RequestValidator()
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, RecipientStore.Listing)
            .Defined("kind", request.Kind, allowUnspecified: true)
            .Optional("district", request.District, 100)
            .ThrowIfInvalid();
        var pageOf = RecipientStore.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));

        var (page, next) = RecipientStore.Listing.Cut(await database.ReadAsync(
            sql => RecipientStore.ListAsync(sql, (long)request.Kind, request.District, scope, pageOf), context.CancellationToken), pageOf);
        var response = new ListRecipientsResponse { NextPageToken = next };
        response.Recipients.Add(page.Select(r => r.ToProto()));
        return response;
    }
}
