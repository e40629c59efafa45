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
        // The caller's office unless a province names one of its districts.
        var office = string.IsNullOrWhiteSpace(request.Office) ? officeScope.Resolve(caller.Office) : request.Office.Trim();
        if (caller.IsOfficeScoped && !officeScope.Covers(caller.Office, office))
        {
            throw new PermissionDeniedException($"Recipients of office '{office}' are created by that office or its province.");
        }

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
                Office = office,
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
            return (await RequireRecipientAsync(sql, caller, request.RecipientId)).ToProto();
        }, context.CancellationToken);
    }

    public override async Task<ListRecipientsResponse> ListRecipients(ListRecipientsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var subject = Access.ReadScope(caller);
        new RequestValidator()
            .PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, RecipientStore.Listing)
            .Defined("kind", request.Kind, allowUnspecified: true)
            .Optional("district", request.District, 100)
            .ThrowIfInvalid();
        var pageOf = RecipientStore.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));

        var (page, next) = RecipientStore.Listing.Cut(await database.ReadAsync(
            sql => RecipientStore.ListAsync(sql, (long)request.Kind, request.District, subject, pageOf, Access.VisibleOffices(caller, officeScope)),
            context.CancellationToken), pageOf);
        var response = new ListRecipientsResponse { NextPageToken = next };
        response.Recipients.Add(page.Select(r => r.ToProto()));
        return response;
    }
}
