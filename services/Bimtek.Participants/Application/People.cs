using Bimtek.Data.Persistence;
using Bimtek.Participants.Api;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Participants.Application;

/// <summary>
/// People: trainees (registered by operators and instructors) and staff (by operators), a trainee's guardian consent,
/// and how a person is reached. Every registration and change tells notifications the person's contact in the same
/// transaction (<see cref="NotificationEvents.ContactChangedAsync"/>); a registration enables the person's account in
/// identity with the registering caller's office (<see cref="IdentityChanges"/>). Login subjects are unique
/// (SUBJECT_TAKEN; the unique index decides a race, <see cref="UnitOfWork"/>). Rules: <see cref="PersonRules"/>.
/// </summary>
internal sealed class People(UnitOfWork work, IdentityChanges accounts, NotificationEvents notifications, TimeProvider time)
{
    public Task<TResponse> RegisterTraineeAsync<TResponse>(Caller caller, RegisterTraineeRequest request, Func<PersonRow, int, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Instructor);
            }
            var now = time.NowMs();
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
            return respond(await RegisterAsync(db, access, row), time.CurrentYear());
        }, cancellationToken);

    public Task<TResponse> RegisterStaffAsync<TResponse>(Caller caller, RegisterStaffRequest request, Func<PersonRow, int, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
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
                CreatedAt = time.NowMs(),
                Email = request.Email.Trim(),
                Language = (long)request.Language,
            };
            return respond(await RegisterAsync(db, access, row), time.CurrentYear());
        }, cancellationToken);

    /// <summary>Stores a new person (subject unique), enables their account and tells notifications how they are reached.</summary>
    private async Task<PersonRow> RegisterAsync(DbSession db, Access access, PersonRow row)
    {
        accounts.WithSubject(row);
        if (row.Subject is not null && await PeopleQueries.BySubjectAsync(db, row.Subject) is not null)
        {
            throw new AlreadyExistsException(Reasons.SubjectTaken, "Another person already has this login subject.");
        }
        await PeopleQueries.InsertAsync(db, row);
        await accounts.PersonChangedAsync(db, row, active: true, row.CreatedAt, access.Office);
        await notifications.ContactChangedAsync(db, row, time.CurrentYear());
        return row;
    }

    public Task<TResponse> RecordGuardianConsentAsync<TResponse>(Caller caller, RecordGuardianConsentRequest request, Func<PersonRow, int, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Instructor);
            }
            var person = await Lookups.RequirePersonAsync(db, request.PersonId, lockRow: true);
            PersonRules.EnsureTrainee(person.PersonId, person.Kind == (long)PersonKind.Trainee, "Guardian consent is recorded for trainees only.");
            await PeopleQueries.RecordConsentAsync(db, person.PersonId, request.GuardianName, time.NowMs());
            return respond(await ContactChangedAsync(db, person.PersonId), time.CurrentYear());
        }, cancellationToken);

    public Task<TResponse> UpdateContactAsync<TResponse>(Caller caller, UpdatePersonContactRequest request, Func<PersonRow, int, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Instructor);
            }
            var person = await Lookups.RequirePersonAsync(db, request.PersonId, lockRow: true);
            var trainee = person.Kind == (long)PersonKind.Trainee;
            if (!access.IsAdmin && !trainee)
            {
                throw new PermissionDeniedException("Only operators change how staff are reached.");
            }
            PersonRules.EnsureGuardianOnlyForTrainee(person.PersonId, trainee, request.GuardianName, request.GuardianPhone);
            await PeopleQueries.UpdateContactAsync(db, person.PersonId, request.Phone.Trim(), request.Email.Trim(), (int)request.Language,
                string.IsNullOrWhiteSpace(request.GuardianName) ? null : request.GuardianName.Trim(), request.GuardianPhone.Trim());
            return respond(await ContactChangedAsync(db, person.PersonId), time.CurrentYear());
        }, cancellationToken);

    /// <summary>The changed person, whose new contact (and version) notifications learns in this transaction.</summary>
    private async Task<PersonRow> ContactChangedAsync(DbSession db, string personId)
    {
        var updated = (await PeopleQueries.GetAsync(db, personId))!;
        await notifications.ContactChangedAsync(db, updated, time.CurrentYear());
        return updated;
    }

    /// <summary>
    /// A person, for operators, the person themself ("me": the caller's own record) and staff who meet them in a
    /// programme; anyone else is PERMISSION_DENIED before the record's existence is revealed.
    /// </summary>
    public Task<PersonRow> GetAsync(Caller caller, string personId, CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            if (personId == "me")
            {
                return await access.MeAsync() ?? throw new NotFoundException("person", "me");
            }
            if (!access.IsAdmin && !await access.IsSelfAsync(personId) && !await SharesProgrammeAsync(db, access, personId))
            {
                throw Access.Denied();
            }
            return await Lookups.RequirePersonAsync(db, personId);
        }, cancellationToken);

    private static async Task<bool> SharesProgrammeAsync(DbSession db, Access access, string personId)
    {
        if (!access.Caller.IsAny(Roles.Instructor, Roles.HealthExpert) || await access.MeAsync() is not { } me)
        {
            return false;
        }
        return await PeopleQueries.ShareAProgrammeAsync(db, me.PersonId, personId);
    }

    /// <summary>A page of the search by name, district and kind, for operators and staff.</summary>
    public Task<(List<PersonRow> Rows, string NextPageToken)> SearchAsync(Caller caller, SearchPeopleRequest request, KeysetPage page,
        CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Instructor, Roles.HealthExpert);
            }
            return PeopleQueries.Search.Cut(await PeopleQueries.SearchAsync(db, request.NameQuery.Trim(), request.District, (int)request.Kind, page), page);
        }, cancellationToken);
}
