using Bimtek.Common.V1;
using Bimtek.Coordinator.V1;
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

/// <summary>What another service learns of a programme and, when named, a trainee's enrolment and a person's role in it.</summary>
internal sealed record EnrolmentCheck(ProgrammeRow Programme, EnrolmentRow? Enrolment, PersonRow? Person, Role PersonRole);

/// <summary>
/// Enrolments: a trainee enrolled by operators of the programme's office or its instructors, while the programme is
/// open, a seat is free (the programme row's lock serialises enrolments into one programme) and a minor has their
/// guardian's consent; withdrawn once. Each change tells the coordinator (<see cref="CoordinatorChanges"/>) and
/// identity (the trainee's account: enabled with the programme's office, disabled after the last withdrawal;
/// <see cref="IdentityChanges"/>) through the outbox in the same transaction. Rules: <see cref="EnrolmentRules"/>,
/// <see cref="ProgrammeLifecycle"/>, <see cref="GuardianPolicy"/>, <see cref="PersonRules"/>.
/// </summary>
internal sealed class Enrolments(UnitOfWork work, CachedReads reads, CoordinatorChanges coordinator, IdentityChanges accounts, TimeProvider time)
{
    public Task<TResponse> EnrolAsync<TResponse>(Caller caller, EnrolRequest request, Func<EnrolmentRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            await access.RequireAdminOrInstructorOfAsync(request.ProgrammeId);
            // The programme row lock serialises enrolments into one programme, so the count
            // below cannot be overtaken by a concurrent enrolment (SQLite: the database lock).
            var programme = await Lookups.RequireProgrammeAsync(db, request.ProgrammeId, lockRow: true);
            var trainee = await Lookups.RequirePersonAsync(db, request.TraineeId);
            ProgrammeLifecycle.EnsureOpen(programme.ProgrammeId, (ProgrammeState)programme.Status, "enrolment");
            PersonRules.EnsureTrainee(trainee.PersonId, trainee.Kind == (long)PersonKind.Trainee, "Only trainees can be enrolled.");
            GuardianPolicy.EnsureMayEnrol(trainee.PersonId, (int)(trainee.BirthYear ?? 0), trainee.GuardianName, trainee.GuardianConsent == 1,
                CalendarDays.Parse(programme.StartDay).Year);
            EnrolmentRules.EnsureNotEnrolled(trainee.PersonId, await EnrolmentQueries.ActiveAsync(db, programme.ProgrammeId, trainee.PersonId) is not null);
            ProgrammeLifecycle.EnsureSeatFree(programme.ProgrammeId, await ProgrammeQueries.ActiveEnrolmentsAsync(db, programme.ProgrammeId), programme.Capacity);

            var now = time.NowMs();
            var enrolment = new EnrolmentRow
            {
                EnrolmentId = Guid.CreateVersion7().ToString(),
                ProgrammeId = programme.ProgrammeId,
                TraineeId = trainee.PersonId,
                Sequence = await ProgrammeQueries.NextSequenceAsync(db, programme.ProgrammeId),
                Status = (long)EnrolmentStatus.Active,
                EnrolledAt = now,
                TraineeName = trainee.Name,
            };
            await EnrolmentQueries.InsertAsync(db, enrolment);
            await coordinator.EnrolmentChangedAsync(db, programme, enrolment, EnrolmentChange.Enrolled, now);
            await accounts.PersonChangedAsync(db, trainee, active: true, now, work.OfficeOf(programme));
            return respond(enrolment);
        }, cancellationToken);

    public Task<TResponse> WithdrawAsync<TResponse>(Caller caller, WithdrawEnrolmentRequest request, Func<EnrolmentRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            var found = await access.RequireVisibleAsync(
                await EnrolmentQueries.GetAsync(db, request.EnrolmentId), r => r.ProgrammeId, "enrolment", request.EnrolmentId);
            await access.RequireAdminOrInstructorOfAsync(found.ProgrammeId);
            var programme = await Lookups.RequireProgrammeAsync(db, found.ProgrammeId, lockRow: true);
            var enrolment = (await EnrolmentQueries.GetAsync(db, request.EnrolmentId))!;
            EnrolmentRules.EnsureActive(enrolment.EnrolmentId, enrolment.Status == (long)EnrolmentStatus.Active);
            var now = time.NowMs();
            await EnrolmentQueries.WithdrawAsync(db, enrolment.EnrolmentId, request.Reason, now);
            enrolment.Status = (long)EnrolmentStatus.Withdrawn;
            enrolment.WithdrawnAt = now;
            enrolment.WithdrawalReason = request.Reason;
            await coordinator.EnrolmentChangedAsync(db, programme, enrolment, EnrolmentChange.Withdrawn, now);
            // Withdrawn from every programme: the trainee's account is disabled.
            if (await PeopleQueries.GetAsync(db, enrolment.TraineeId) is { } trainee)
            {
                await accounts.PersonChangedAsync(db, trainee, await IdentityChanges.HasActiveEnrolmentAsync(db, trainee.PersonId), now);
            }
            return respond(enrolment);
        }, cancellationToken);

    /// <summary>One enrolment, for operators of its programme's office, the programme's staff and the trainee.</summary>
    public Task<EnrolmentRow> GetAsync(Caller caller, string enrolmentId, CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            var enrolment = await access.RequireVisibleAsync(
                await EnrolmentQueries.GetAsync(db, enrolmentId), r => r.ProgrammeId, "enrolment", enrolmentId);
            await access.RequireForTraineeAsync(enrolment.ProgrammeId, enrolment.TraineeId, instructorsOnly: false);
            return enrolment;
        }, cancellationToken);

    /// <summary>A page of enrolments by programme (its staff) or trainee (themself); operators any. An unknown parent is NOT_FOUND.</summary>
    public Task<(List<EnrolmentRow> Rows, string NextPageToken)> ListAsync(Caller caller, ListEnrolmentsRequest request, KeysetPage page,
        CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            var allowed = access.IsAdmin
                || (request.TraineeId != "" && await access.IsSelfAsync(request.TraineeId))
                || (request.ProgrammeId != "" && await access.IsStaffOfAsync(request.ProgrammeId));
            if (!allowed)
            {
                throw Access.Denied();
            }
            // An unknown parent is 404, not an empty list (only callers allowed above get this far).
            if (request.ProgrammeId != "")
            {
                await Lookups.RequireProgrammeAsync(db, request.ProgrammeId);
            }
            if (request.TraineeId != "")
            {
                await Lookups.RequirePersonAsync(db, request.TraineeId);
            }
            var (rows, next) = EnrolmentQueries.Listing.Cut(
                await EnrolmentQueries.ListAsync(db, request.ProgrammeId, request.TraineeId, (int)request.Status, page), page);
            return (await access.VisibleAsync(rows, row => row.ProgrammeId), next);
        }, cancellationToken);

    /// <summary>For other services (and operators): the programme, the trainee's active enrolment and the person's role in it.</summary>
    public async Task<EnrolmentCheck> CheckAsync(Caller caller, CheckEnrolmentRequest request, CancellationToken cancellationToken)
    {
        if (!caller.IsAny(Roles.Operator, Roles.Integrator))
        {
            caller.Require(Roles.Service);
        }
        // From memory between writes (CachedReads): a withdrawal is seen as soon as its commit is heard here.
        var rows = await reads.EnrolmentCheckAsync(request.ProgrammeId, request.TraineeId, request.PersonId, request.Subject, cancellationToken);
        var programme = rows.Programme ?? throw new NotFoundException("programme", request.ProgrammeId);
        var (enrolment, person) = (rows.TraineeEnrolment, rows.Person);
        var role = person is null ? Role.Unspecified
            : rows.PersonAssignment is { } staff ? (staff.Role == (long)StaffRole.Instructor ? Role.Instructor : Role.HealthExpert)
            : rows.PersonEnrolled ? Role.Trainee
            : Role.Unspecified;
        return new EnrolmentCheck(programme, enrolment, person, role);
    }
}
