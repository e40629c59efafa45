using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Participants.Api;

internal sealed partial class ParticipantsGrpcService
{
    public override Task<Person> RegisterTrainee(RegisterTraineeRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Required("name", request.Name, 200)
            .Range("birth_year", request.BirthYear, 1900, CurrentYear)
            .Optional("phone", request.Phone, 32)
            .Required("village", request.Village, 100)
            .Required("district", request.District, 100)
            .Optional("guardian_name", request.GuardianName, 200)
            .When(request.GuardianConsent && string.IsNullOrWhiteSpace(request.GuardianName), "guardian_name", "is required when guardian_consent is true")
            .Optional("subject", request.Subject, 200)
            .Optional("guardian_phone", request.GuardianPhone, 32)
            .Defined("language", request.Language, allowUnspecified: true)
            .When(!IsEmail(request.Email), "email", "must be an e-mail address of at most 200 characters")
            .ThrowIfInvalid();
        return people.RegisterTraineeAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Person> RegisterStaff(RegisterStaffRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Defined("kind", request.Kind)
            .Required("name", request.Name, 200)
            .Optional("phone", request.Phone, 32)
            .Required("district", request.District, 100)
            .Optional("organisation", request.Organisation, 200)
            .Optional("subject", request.Subject, 200)
            .Defined("language", request.Language, allowUnspecified: true)
            .When(!IsEmail(request.Email), "email", "must be an e-mail address of at most 200 characters")
            .ThrowIfInvalid();
        return people.RegisterStaffAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Person> RecordGuardianConsent(RecordGuardianConsentRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("person_id", request.PersonId)
            .Required("guardian_name", request.GuardianName, 200)
            .When(!request.GuardianConsent, "guardian_consent", "must be true: record a consent that was given")
            .ThrowIfInvalid();
        return people.RecordGuardianConsentAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Person> UpdatePersonContact(UpdatePersonContactRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("person_id", request.PersonId)
            .Optional("phone", request.Phone, 32)
            .Defined("language", request.Language, allowUnspecified: true)
            .Optional("guardian_name", request.GuardianName, 200)
            .Optional("guardian_phone", request.GuardianPhone, 32)
            .When(!IsEmail(request.Email), "email", "must be an e-mail address of at most 200 characters")
            .ThrowIfInvalid();
        return people.UpdateContactAsync(context.GetCaller(), request, ProtoMapping.ToProto, context.CancellationToken);
    }

    /// <summary>Empty, or one e-mail address of at most 200 characters.</summary>
    private static bool IsEmail(string value) =>
        value.Length == 0 || (value.Length <= 200 && System.Net.Mail.MailAddress.TryCreate(value.Trim(), out var address) && address.Address == value.Trim());

    public override async Task<Person> GetPerson(GetPersonRequest request, ServerCallContext context)
    {
        if (request.PersonId != "me")
        {
            Validate().Id("person_id", request.PersonId).ThrowIfInvalid();
        }
        return ProtoMapping.ToProto(await people.GetAsync(context.GetCaller(), request.PersonId, context.CancellationToken), CurrentYear);
    }

    public override async Task<SearchPeopleResponse> SearchPeople(SearchPeopleRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Optional("name_query", request.NameQuery, 100).Optional("district", request.District, 100)
            .Defined("kind", request.Kind, allowUnspecified: true);
        v.ValidPageToken(request.PageToken, PeopleQueries.Search).ThrowIfInvalid();
        var page = PeopleQueries.Search.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await people.SearchAsync(context.GetCaller(), request, page, context.CancellationToken);
        var response = new SearchPeopleResponse { NextPageToken = next };
        response.People.Add(rows.Select(r => ProtoMapping.ToProto(r, CurrentYear)));
        return response;
    }
}
