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
/// Assistance requests: opened by a trainee or their instructor about a lesson or a product step, or by the
/// coordinator's daily pace check for a trainee behind schedule (once per trainee, programme and day, told to
/// people through <see cref="NotificationEvents"/> in the same transaction); read by operators, the programme's
/// staff and the trainee. Rules: <see cref="AssistanceRules"/>; home visits: <see cref="HomeVisitChanges"/>.
/// </summary>
internal sealed class AssistanceRequests(UnitOfWork work, NotificationEvents notifications, TimeProvider time)
{
    public Task<TResponse> OpenAsync<TResponse>(Caller caller, OpenAssistanceRequestRequest request, Func<AssistanceRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            await access.RequireForTraineeAsync(request.ProgrammeId, request.TraineeId, instructorsOnly: true);
            await Lookups.RequireProgrammeAsync(db, request.ProgrammeId);
            await Lookups.RequireEnrolledAsync(db, request.ProgrammeId, request.TraineeId);
            if (request.LessonId != "" && (await LessonQueries.GetAsync(db, request.LessonId))?.ProgrammeId != request.ProgrammeId)
            {
                var message = "The lesson does not belong to this programme.";
                throw new PreconditionException(Reasons.LessonNotInProgramme, message,
                    [new PreconditionViolation(Reasons.LessonNotInProgramme, $"lessons/{request.LessonId}", message)]);
            }
            var row = new AssistanceRow
            {
                AssistanceRequestId = Guid.CreateVersion7().ToString(),
                ProgrammeId = request.ProgrammeId,
                TraineeId = request.TraineeId,
                LessonId = request.LessonId,
                ProductStep = request.ProductStep,
                Description = request.Description,
                Origin = (long)(await access.IsSelfAsync(request.TraineeId) ? AssistanceOrigin.Trainee : AssistanceOrigin.Staff),
                Status = (long)AssistanceState.Open,
                CreatedAt = time.NowMs(),
            };
            await AssistanceQueries.InsertAsync(db, row);
            return respond(row);
        }, cancellationToken);

    /// <summary>
    /// Idempotent per trainee, programme and day whatever the request_id: the existing request answers (the unique
    /// index decides when two arrive at once). Told once per trainee and day: only the request that opened it tells it.
    /// </summary>
    public Task<TResponse> OpenBehindScheduleAsync<TResponse>(Caller caller, OpenBehindScheduleRequestRequest request, Func<AssistanceRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            if (!access.IsAdmin)
            {
                access.RequireAny(Roles.Service);
            }
            var day = CalendarDays.ToText(request.Day);
            if (await AssistanceQueries.BehindScheduleAsync(db, request.ProgrammeId, request.TraineeId, day) is { } existing)
            {
                return respond(existing);
            }
            var programme = await Lookups.RequireProgrammeAsync(db, request.ProgrammeId);
            await Lookups.RequireEnrolledAsync(db, request.ProgrammeId, request.TraineeId);
            var row = new AssistanceRow
            {
                AssistanceRequestId = Guid.CreateVersion7().ToString(),
                ProgrammeId = request.ProgrammeId,
                TraineeId = request.TraineeId,
                Description = AssistanceRules.BehindScheduleDescription(day, request.DoneUnits, request.ExpectedUnits, request.Quota),
                Origin = (long)AssistanceOrigin.BehindSchedule,
                Status = (long)AssistanceState.Open,
                BehindScheduleDay = day,
                CreatedAt = time.NowMs(),
            };
            if (await AssistanceQueries.InsertAsync(db, row) == 0)
            {
                return respond((await AssistanceQueries.BehindScheduleAsync(db, request.ProgrammeId, request.TraineeId, day))!);
            }
            await notifications.BehindScheduleAsync(db, row, programme, request.DoneUnits, request.ExpectedUnits);
            return respond(row);
        }, cancellationToken);

    /// <summary>One request, for operators of its programme's office, the programme's staff and the trainee.</summary>
    public Task<AssistanceRow> GetAsync(Caller caller, string assistanceRequestId, CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            var row = await access.RequireVisibleAsync(
                await AssistanceQueries.GetAsync(db, assistanceRequestId), r => r.ProgrammeId, "assistance request", assistanceRequestId);
            await access.RequireForTraineeAsync(row.ProgrammeId, row.TraineeId, instructorsOnly: false);
            return row;
        }, cancellationToken);

    /// <summary>A page of requests by programme (its staff), trainee (themself) or instructor (themself); operators any.</summary>
    public Task<(List<AssistanceRow> Rows, string NextPageToken)> ListAsync(Caller caller, ListAssistanceRequestsRequest request, KeysetPage page,
        CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            var allowed = access.IsAdmin
                || (request.TraineeId != "" && await access.IsSelfAsync(request.TraineeId))
                || (request.ProgrammeId != "" && await access.IsStaffOfAsync(request.ProgrammeId))
                || (request.InstructorId != "" && access.Caller.Is(Roles.Instructor) && await access.IsSelfAsync(request.InstructorId));
            if (!allowed)
            {
                throw Access.Denied();
            }
            var (rows, next) = AssistanceQueries.Listing.Cut(
                await AssistanceQueries.ListAsync(db, request.ProgrammeId, request.TraineeId, request.InstructorId, (int)request.Status, page), page);
            return (await access.VisibleAsync(rows, row => row.ProgrammeId), next);
        }, cancellationToken);
}
