using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
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
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Instructor);
            }
            var now = NowMs;
            var row = new PersonRow
            {
                PersonId = Guid.CreateVersion7().ToString(),
                Kind = (long)PersonKind.Trainee,
                Name = request.Name.Trim(),
                Phone = request.Phone,
                District = request.District,
                Subject = string.IsNullOrEmpty(request.Subject) ? null : request.Subject,
                BirthYear = request.BirthYear,
                Village = request.Village,
                GuardianName = string.IsNullOrWhiteSpace(request.GuardianName) ? null : request.GuardianName,
                GuardianConsent = request.GuardianConsent ? 1 : 0,
                GuardianConsentAt = request.GuardianConsent ? now : null,
                CreatedAt = now,
                Email = request.Email.Trim(),
                Language = (long)request.Language,
                GuardianPhone = request.GuardianPhone.Trim(),
            };
            await InsertPersonAsync(db, accounts.WithSubject(row));
            await accounts.PersonChangedAsync(session, row, active: true, now, access.Office);
            await notifications.ContactChangedAsync(session, row, CurrentYear);
            return ProtoMapping.ToProto(row, CurrentYear);
        });
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
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            access.RequireAdmin();
            var row = new PersonRow
            {
                PersonId = Guid.CreateVersion7().ToString(),
                Kind = (long)(request.Kind == StaffKind.Instructor ? PersonKind.Instructor : PersonKind.HealthExpert),
                Name = request.Name.Trim(),
                Phone = request.Phone,
                District = request.District,
                Subject = string.IsNullOrEmpty(request.Subject) ? null : request.Subject,
                Organisation = request.Organisation,
                CreatedAt = NowMs,
                Email = request.Email.Trim(),
                Language = (long)request.Language,
            };
            await InsertPersonAsync(db, accounts.WithSubject(row));
            await accounts.PersonChangedAsync(session, row, active: true, row.CreatedAt, access.Office);
            await notifications.ContactChangedAsync(session, row, CurrentYear);
            return ProtoMapping.ToProto(row, CurrentYear);
        });
    }

    private static async Task InsertPersonAsync(Db db, PersonRow row)
    {
        if (row.Subject is not null && await PeopleQueries.BySubjectAsync(db, row.Subject) is not null)
        {
            throw new AlreadyExistsException(Reasons.SubjectTaken, "Another person already has this login subject.");
        }
        await PeopleQueries.InsertAsync(db, row);
    }

    public override Task<Person> RecordGuardianConsent(RecordGuardianConsentRequest request, ServerCallContext context)
    {
        Validate()
            .RequestId(request.RequestId)
            .Id("person_id", request.PersonId)
            .Required("guardian_name", request.GuardianName, 200)
            .When(!request.GuardianConsent, "guardian_consent", "must be true: record a consent that was given")
            .ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Instructor);
            }
            var person = await PeopleQueries.GetAsync(db, request.PersonId, lockRow: true) ?? throw new NotFoundException("person", request.PersonId);
            if (person.Kind != (long)PersonKind.Trainee)
            {
                var message = "Guardian consent is recorded for trainees only.";
                throw new PreconditionException(Reasons.NotATrainee, message, [new PreconditionViolation(Reasons.NotATrainee, $"people/{person.PersonId}", message)]);
            }
            await PeopleQueries.RecordConsentAsync(db, person.PersonId, request.GuardianName, NowMs);
            var updated = (await PeopleQueries.GetAsync(db, person.PersonId))!;
            await notifications.ContactChangedAsync(session, updated, CurrentYear);
            return ProtoMapping.ToProto(updated, CurrentYear);
        });
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
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Instructor);
            }
            var person = await PeopleQueries.GetAsync(db, request.PersonId, lockRow: true) ?? throw new NotFoundException("person", request.PersonId);
            var trainee = person.Kind == (long)PersonKind.Trainee;
            if (!access.IsAdmin && !trainee)
            {
                throw new PermissionDeniedException("Only operators change how staff are reached.");
            }
            if (!trainee && (request.GuardianName.Length > 0 || request.GuardianPhone.Length > 0))
            {
                var message = "Only trainees have a guardian.";
                throw new PreconditionException(Reasons.NotATrainee, message, [new PreconditionViolation(Reasons.NotATrainee, $"people/{person.PersonId}", message)]);
            }
            await PeopleQueries.UpdateContactAsync(db, person.PersonId, request.Phone.Trim(), request.Email.Trim(), (int)request.Language,
                string.IsNullOrWhiteSpace(request.GuardianName) ? null : request.GuardianName.Trim(), request.GuardianPhone.Trim());
            var updated = (await PeopleQueries.GetAsync(db, person.PersonId))!;
            await notifications.ContactChangedAsync(session, updated, CurrentYear);
            return ProtoMapping.ToProto(updated, CurrentYear);
        });
    }

    /// <summary>Empty, or one e-mail address of at most 200 characters.</summary>
    private static bool IsEmail(string value) =>
        value.Length == 0 || (value.Length <= 200 && System.Net.Mail.MailAddress.TryCreate(value.Trim(), out var address) && address.Address == value.Trim());

    public override Task<Person> GetPerson(GetPersonRequest request, ServerCallContext context)
    {
        var me = request.PersonId == "me";
        if (!me)
        {
            Validate().Id("person_id", request.PersonId).ThrowIfInvalid();
        }
        return ReadAsync(context, async (db, access) =>
        {
            if (me)
            {
                return ProtoMapping.ToProto(await access.MeAsync() ?? throw new NotFoundException("person", "me"), CurrentYear);
            }
            if (!access.IsAdmin && !await access.IsSelfAsync(request.PersonId) && !await SharesProgrammeAsync(db, access, request.PersonId))
            {
                throw Access.Denied();
            }
            var person = await PeopleQueries.GetAsync(db, request.PersonId) ?? throw new NotFoundException("person", request.PersonId);
            return ProtoMapping.ToProto(person, CurrentYear);
        });
    }

    private static async Task<bool> SharesProgrammeAsync(Db db, Access access, string personId)
    {
        if (!access.Caller.IsAny(Roles.Instructor, Roles.HealthExpert) || await access.MeAsync() is not { } me)
        {
            return false;
        }
        return await PeopleQueries.ShareAProgrammeAsync(db, me.PersonId, personId);
    }

    public override Task<SearchPeopleResponse> SearchPeople(SearchPeopleRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Optional("name_query", request.NameQuery, 100).Optional("district", request.District, 100)
            .Defined("kind", request.Kind, allowUnspecified: true);
        v.ValidPageToken(request.PageToken, PeopleQueries.Search).ThrowIfInvalid();
        var page = PeopleQueries.Search.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ReadAsync(context, async (db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Instructor, Roles.HealthExpert);
            }
            var (rows, next) = PeopleQueries.Search.Cut(await PeopleQueries.SearchAsync(db, request.NameQuery.Trim(), request.District, (int)request.Kind, page), page);
            var response = new SearchPeopleResponse { NextPageToken = next };
            response.People.Add(rows.Select(r => ProtoMapping.ToProto(r, CurrentYear)));
            return response;
        });
    }
}
