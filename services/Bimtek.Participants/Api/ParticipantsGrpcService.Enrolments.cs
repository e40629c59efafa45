using Bimtek.Common.V1;
using Bimtek.Coordinator.V1;
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
    public override Task<Enrolment> Enrol(EnrolRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("programme_id", request.ProgrammeId).Id("trainee_id", request.TraineeId).ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            await access.RequireAdminOrInstructorOfAsync(request.ProgrammeId);
            // The programme row lock serialises enrolments into one programme, so the count
            // below cannot be overtaken by a concurrent enrolment (SQLite: the database lock).
            var programme = await RequireProgrammeAsync(db, request.ProgrammeId, lockRow: true);
            var trainee = await PeopleQueries.GetAsync(db, request.TraineeId) ?? throw new NotFoundException("person", request.TraineeId);
            ProgrammeLifecycle.EnsureOpen(programme.ProgrammeId, (ProgrammeState)programme.Status, "enrolment");
            if (trainee.Kind != (long)PersonKind.Trainee)
            {
                var message = "Only trainees can be enrolled.";
                throw new PreconditionException(Reasons.NotATrainee, message, [new PreconditionViolation(Reasons.NotATrainee, $"people/{trainee.PersonId}", message)]);
            }
            GuardianPolicy.EnsureMayEnrol(trainee.PersonId, (int)(trainee.BirthYear ?? 0), trainee.GuardianName, trainee.GuardianConsent == 1,
                ProtoMapping.ParseDay(programme.StartDay).Year);
            if (await EnrolmentQueries.ActiveAsync(db, programme.ProgrammeId, trainee.PersonId) is not null)
            {
                var message = "The trainee is already enrolled in this programme.";
                throw new PreconditionException(Reasons.AlreadyEnrolled, message, [new PreconditionViolation(Reasons.AlreadyEnrolled, $"people/{trainee.PersonId}", message)]);
            }
            ProgrammeLifecycle.EnsureSeatFree(programme.ProgrammeId, await ProgrammeQueries.ActiveEnrolmentsAsync(db, programme.ProgrammeId), programme.Capacity);

            var now = NowMs;
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
            await coordinator.EnrolmentChangedAsync(session, programme, enrolment, EnrolmentChange.Enrolled, now);
            await accounts.PersonChangedAsync(session, trainee, active: true, now, OfficeOf(programme));
            return ProtoMapping.ToProto(enrolment);
        });
    }

    public override Task<Enrolment> WithdrawEnrolment(WithdrawEnrolmentRequest request, ServerCallContext context)
    {
        Validate().RequestId(request.RequestId).Id("enrolment_id", request.EnrolmentId).Required("reason", request.Reason, 500).ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (session, db, access) =>
        {
            var found = await EnrolmentQueries.GetAsync(db, request.EnrolmentId);
            if (found is null || !await access.CoversProgrammeAsync(found.ProgrammeId))
            {
                throw access.IsAdmin ? new NotFoundException("enrolment", request.EnrolmentId) : Access.Denied();
            }
            await access.RequireAdminOrInstructorOfAsync(found.ProgrammeId);
            var programme = await RequireProgrammeAsync(db, found.ProgrammeId, lockRow: true);
            var enrolment = (await EnrolmentQueries.GetAsync(db, request.EnrolmentId))!;
            if (enrolment.Status != (long)EnrolmentStatus.Active)
            {
                var message = "The enrolment is already withdrawn.";
                throw new PreconditionException(Reasons.EnrolmentWithdrawn, message,
                    [new PreconditionViolation(Reasons.EnrolmentWithdrawn, $"enrolments/{enrolment.EnrolmentId}", message)]);
            }
            var now = NowMs;
            await EnrolmentQueries.WithdrawAsync(db, enrolment.EnrolmentId, request.Reason, now);
            enrolment.Status = (long)EnrolmentStatus.Withdrawn;
            enrolment.WithdrawnAt = now;
            enrolment.WithdrawalReason = request.Reason;
            await coordinator.EnrolmentChangedAsync(session, programme, enrolment, EnrolmentChange.Withdrawn, now);
            // Withdrawn from every programme: the trainee's account is disabled.
            if (await PeopleQueries.GetAsync(db, enrolment.TraineeId) is { } trainee)
            {
                await accounts.PersonChangedAsync(session, trainee, await Application.IdentityChanges.HasActiveEnrolmentAsync(db, trainee.PersonId), now);
            }
            return ProtoMapping.ToProto(enrolment);
        });
    }

    public override Task<Enrolment> GetEnrolment(GetEnrolmentRequest request, ServerCallContext context)
    {
        Validate().Id("enrolment_id", request.EnrolmentId).ThrowIfInvalid();
        return ReadAsync(context, async (db, access) =>
        {
            var enrolment = await EnrolmentQueries.GetAsync(db, request.EnrolmentId);
            if (enrolment is null || !await access.CoversProgrammeAsync(enrolment.ProgrammeId))
            {
                throw access.IsAdmin ? new NotFoundException("enrolment", request.EnrolmentId) : Access.Denied();
            }
            await access.RequireForTraineeAsync(enrolment.ProgrammeId, enrolment.TraineeId, instructorsOnly: false);
            return ProtoMapping.ToProto(enrolment);
        });
    }

    public override Task<ListEnrolmentsResponse> ListEnrolments(ListEnrolmentsRequest request, ServerCallContext context)
    {
        var v = Validate().PageSize(request.PageSize).Defined("status", request.Status, allowUnspecified: true)
            .When(request.ProgrammeId == "" && request.TraineeId == "", "programme_id", "programme_id or trainee_id is required");
        if (request.ProgrammeId != "")
        {
            v.Id("programme_id", request.ProgrammeId);
        }
        if (request.TraineeId != "")
        {
            v.Id("trainee_id", request.TraineeId);
        }
        v.ValidPageToken(request.PageToken, EnrolmentQueries.Listing).ThrowIfInvalid();
        var page = EnrolmentQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ReadAsync(context, async (db, access) =>
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
                await RequireProgrammeAsync(db, request.ProgrammeId);
            }
            if (request.TraineeId != "")
            {
                _ = await PeopleQueries.GetAsync(db, request.TraineeId) ?? throw new NotFoundException("person", request.TraineeId);
            }
            var (rows, next) = EnrolmentQueries.Listing.Cut(
                await EnrolmentQueries.ListAsync(db, request.ProgrammeId, request.TraineeId, (int)request.Status, page), page);
            var response = new ListEnrolmentsResponse { NextPageToken = next };
            response.Enrolments.Add((await access.VisibleAsync(rows, row => row.ProgrammeId)).Select(ProtoMapping.ToProto));
            return response;
        });
    }

    public override Task<CheckEnrolmentResponse> CheckEnrolment(CheckEnrolmentRequest request, ServerCallContext context)
    {
        var v = Validate().Id("programme_id", request.ProgrammeId).Optional("subject", request.Subject, 200);
        if (request.TraineeId != "")
        {
            v.Id("trainee_id", request.TraineeId);
        }
        if (request.PersonId != "")
        {
            v.Id("person_id", request.PersonId);
        }
        v.ThrowIfInvalid();
        return ReadAsync(context, async (db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Service);
            }
            var programme = await RequireProgrammeAsync(db, request.ProgrammeId);
            var response = new CheckEnrolmentResponse
            {
                ProgrammeId = programme.ProgrammeId,
                ProgrammeStatus = (ProgrammeStatus)programme.Status,
                StartDay = ProtoMapping.ToDate(programme.StartDay),
                EndDay = ProtoMapping.ToDate(programme.EndDay),
                TimeZone = programme.TimeZone,
                ProductCode = programme.ProductCode,
                Office = programme.Office,
            };
            if (request.TraineeId != "" && await EnrolmentQueries.ActiveAsync(db, programme.ProgrammeId, request.TraineeId) is { } enrolment)
            {
                response.Enrolled = true;
                response.EnrolmentId = enrolment.EnrolmentId;
                response.EnrolmentSequence = (int)enrolment.Sequence;
            }
            var person = request.PersonId != "" ? await PeopleQueries.GetAsync(db, request.PersonId)
                : request.Subject != "" ? await PeopleQueries.BySubjectAsync(db, request.Subject)
                : null;
            if (person is not null)
            {
                response.PersonId = person.PersonId;
                response.PersonRole = await RoleInProgrammeAsync(db, programme.ProgrammeId, person.PersonId);
            }
            return response;
        });
    }

    private static async Task<Role> RoleInProgrammeAsync(Db db, string programmeId, string personId)
    {
        if (await ProgrammeQueries.AssignmentAsync(db, programmeId, personId) is { } staff)
        {
            return staff.Role == (long)StaffRole.Instructor ? Role.Instructor : Role.HealthExpert;
        }
        return await EnrolmentQueries.ActiveAsync(db, programmeId, personId) is not null ? Role.Trainee : Role.Unspecified;
    }
}
