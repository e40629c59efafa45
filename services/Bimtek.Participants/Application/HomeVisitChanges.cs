using Bimtek.Data.Persistence;
using Bimtek.Notifications.V1;
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
/// Home visits, each change in one transaction (idempotent on request_id around it): booking a visit for an open
/// assistance request (<see cref="AssistanceRules"/>), logging its outcome (which settles the request), moving and
/// cancelling it (operators of the programme's office, the programme's instructors; <see cref="HomeVisitRules"/>;
/// cancelling opens the assistance request again). A booking, move or cancellation writes — in the same transaction —
/// the notification event for the trainee (and the guardian of a minor) and the instructor (<see cref="NotificationEvents"/>).
/// </summary>
internal sealed class HomeVisitChanges(UnitOfWork work, NotificationEvents notifications, TimeProvider time)
{
    public Task<TResponse> ScheduleAsync<TResponse>(Caller caller, ScheduleHomeVisitRequest request, Func<VisitRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            var assistance = await access.RequireVisibleAsync(
                await AssistanceQueries.GetAsync(db, request.AssistanceRequestId, lockRow: true), r => r.ProgrammeId, "assistance request", request.AssistanceRequestId);
            await access.RequireAdminOrInstructorOfAsync(assistance.ProgrammeId);
            var programme = await Lookups.RequireProgrammeAsync(db, assistance.ProgrammeId);
            AssistanceRules.EnsureOpenForVisit(assistance.AssistanceRequestId, (AssistanceState)assistance.Status);
            var assignment = await ProgrammeQueries.AssignmentAsync(db, assistance.ProgrammeId, request.InstructorId);
            AssistanceRules.EnsureVisitorIsInstructor(request.InstructorId, assignment?.Role == (long)StaffRole.Instructor);
            AssistanceRules.EnsureVisitDayNotPast(CalendarDays.ToDateOnly(request.Day), time.TodayIn(programme.TimeZone));
            var visit = new VisitRow
            {
                HomeVisitId = Guid.CreateVersion7().ToString(),
                AssistanceRequestId = assistance.AssistanceRequestId,
                ProgrammeId = assistance.ProgrammeId,
                TraineeId = assistance.TraineeId,
                InstructorId = request.InstructorId,
                Day = CalendarDays.ToText(request.Day),
                WindowStartSeconds = ProtoMapping.SecondsOfDay(request.WindowStart),
                WindowEndSeconds = ProtoMapping.SecondsOfDay(request.WindowEnd),
                Address = request.Address,
                CreatedAt = time.NowMs(),
            };
            await AssistanceQueries.InsertVisitAsync(db, visit);
            await AssistanceQueries.UpdateStatusAsync(db, assistance.AssistanceRequestId, (int)AssistanceState.VisitScheduled, request.InstructorId, null);
            await notifications.HomeVisitBookedAsync(db, visit, programme, await PeopleQueries.GetAsync(db, visit.TraineeId));
            return respond(visit);
        }, cancellationToken);

    /// <summary>The visiting instructor (or an operator) logs what the visit found; the assistance request follows it.</summary>
    public Task<TResponse> LogOutcomeAsync<TResponse>(Caller caller, LogHomeVisitOutcomeRequest request, Func<VisitRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            var visit = await access.RequireVisibleAsync(
                await AssistanceQueries.GetVisitAsync(db, request.HomeVisitId, lockRow: true), r => r.ProgrammeId, "home visit", request.HomeVisitId);
            if (!access.IsAdmin && !(access.Caller.Is(Roles.Instructor) && await access.IsSelfAsync(visit.InstructorId)))
            {
                throw new PermissionDeniedException("Only the visiting instructor and operators may log a visit.");
            }
            HomeVisitRules.EnsureScheduled(visit.HomeVisitId, HomeVisitRules.StateOf(visit.Outcome, visit.CancelledAt));
            var now = time.NowMs();
            var visitedAt = request.VisitedAt is null ? now : Instants.ToUnixMs(request.VisitedAt);
            await AssistanceQueries.LogOutcomeAsync(db, visit.HomeVisitId, (int)request.Outcome, request.Notes, visitedAt);
            var (state, closes) = AssistanceRules.AfterVisit((VisitFinding)request.Outcome);
            await AssistanceQueries.UpdateStatusAsync(db, visit.AssistanceRequestId, (int)state, visit.InstructorId, closes ? now : null);
            visit.Outcome = (long)request.Outcome;
            visit.OutcomeNotes = request.Notes;
            visit.VisitedAt = visitedAt;
            return respond(visit);
        }, cancellationToken);

    public Task<TResponse> MoveAsync<TResponse>(Caller caller, MoveHomeVisitRequest request, VisitSlot to, Func<VisitRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            var visitId = request.HomeVisitId;
            var (visit, programme) = await LoadAsync(db, access, visitId);
            var from = new VisitSlot(CalendarDays.Parse(visit.Day), (int)visit.WindowStartSeconds, (int)visit.WindowEndSeconds);
            HomeVisitRules.EnsureMayMove(from, to, time.TodayIn(programme.TimeZone));
            if (!await AssistanceQueries.MoveVisitAsync(db, visitId, CalendarDays.ToText(to.Day), to.WindowStartSeconds, to.WindowEndSeconds,
                request.Reason.Trim()))
            {
                throw new InvalidOperationException($"Home visit {visitId} was locked as scheduled but could not be moved.");
            }
            var moved = (await AssistanceQueries.GetVisitAsync(db, visitId))!;
            await notifications.HomeVisitChangedAsync(db, moved, programme, await PeopleQueries.GetAsync(db, moved.TraineeId),
                HomeVisitChange.Moved, time.GetUtcNow());
            return respond(moved);
        }, cancellationToken);

    public Task<TResponse> CancelAsync<TResponse>(Caller caller, CancelHomeVisitRequest request, Func<VisitRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            var visitId = request.HomeVisitId;
            var (visit, programme) = await LoadAsync(db, access, visitId);
            var now = time.GetUtcNow();
            if (!await AssistanceQueries.CancelVisitAsync(db, visitId, request.Reason.Trim(), Instants.ToUnixMs(now)))
            {
                throw new InvalidOperationException($"Home visit {visitId} was locked as scheduled but could not be cancelled.");
            }
            // The trainee still needs help: the request waits for another visit.
            await AssistanceQueries.UpdateStatusAsync(db, visit.AssistanceRequestId, (int)AssistanceState.Open, visit.InstructorId, null);
            var cancelled = (await AssistanceQueries.GetVisitAsync(db, visitId))!;
            await notifications.HomeVisitChangedAsync(db, cancelled, programme, await PeopleQueries.GetAsync(db, cancelled.TraineeId),
                HomeVisitChange.Cancelled, now);
            return respond(cancelled);
        }, cancellationToken);

    /// <summary>A page of visits by programme (its staff) or instructor (themself); operators any.</summary>
    public Task<(List<VisitRow> Rows, string NextPageToken)> ListAsync(Caller caller, ListHomeVisitsRequest request, KeysetPage page,
        CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            var allowed = access.IsAdmin
                || (request.ProgrammeId != "" && await access.IsStaffOfAsync(request.ProgrammeId))
                || (request.InstructorId != "" && access.Caller.Is(Roles.Instructor) && await access.IsSelfAsync(request.InstructorId));
            if (!allowed)
            {
                throw Access.Denied();
            }
            var fromDay = request.FromDay is null ? "" : CalendarDays.ToText(request.FromDay);
            var (rows, next) = AssistanceQueries.Visits.Cut(
                await AssistanceQueries.ListVisitsAsync(db, request.ProgrammeId, request.InstructorId, fromDay, request.PendingOnly, page), page);
            return (await access.VisibleAsync(rows, visit => visit.ProgrammeId), next);
        }, cancellationToken);

    /// <summary>The locked visit and its programme, once the caller may change it and it is still scheduled.</summary>
    private static async Task<(VisitRow Visit, ProgrammeRow Programme)> LoadAsync(DbSession db, Access access, string visitId)
    {
        // The same answer as for another office's or programme's visit, unless the caller could see any.
        var visit = await access.RequireVisibleAsync(
            await AssistanceQueries.GetVisitAsync(db, visitId, lockRow: true), r => r.ProgrammeId, "home visit", visitId);
        await access.RequireAdminOrInstructorOfAsync(visit.ProgrammeId);
        HomeVisitRules.EnsureScheduled(visit.HomeVisitId, HomeVisitRules.StateOf(visit.Outcome, visit.CancelledAt));
        var programme = await Lookups.RequireProgrammeAsync(db, visit.ProgrammeId);
        return (visit, programme);
    }
}
