using Bimtek.Data.Persistence;
using Bimtek.Notifications.V1;
using Bimtek.Participants.Api;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Application;

/// <summary>
/// Moving and cancelling a booked home visit, each in the caller's transaction (idempotent on request_id around it):
/// lock the visit, check the caller (operators of the programme's office, the programme's instructors), apply
/// <see cref="HomeVisitRules"/>, write the change, and — in the same transaction — the notification event for the
/// trainee (and the guardian of a minor) and the instructor (<see cref="NotificationEvents"/>). Cancelling opens the
/// assistance request again.
/// </summary>
internal sealed class HomeVisitChanges(NotificationEvents notifications, TimeProvider time)
{
    public async Task<VisitRow> MoveAsync(DbSession session, Db db, Access access, string visitId, VisitSlot to, string reason)
    {
        var (visit, programme) = await LoadAsync(db, access, visitId);
        var from = new VisitSlot(DateOnly.ParseExact(visit.Day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            (int)visit.WindowStartSeconds, (int)visit.WindowEndSeconds);
        HomeVisitRules.EnsureMayMove(from, to, TodayIn(programme.TimeZone));
        var day = to.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (!await AssistanceQueries.MoveVisitAsync(db, visitId, day, to.WindowStartSeconds, to.WindowEndSeconds, reason))
        {
            throw new InvalidOperationException($"Home visit {visitId} was locked as scheduled but could not be moved.");
        }
        var moved = (await AssistanceQueries.GetVisitAsync(db, visitId))!;
        await notifications.HomeVisitChangedAsync(session, moved, programme, await PeopleQueries.GetAsync(db, moved.TraineeId),
            HomeVisitChange.Moved, time.GetUtcNow());
        return moved;
    }

    public async Task<VisitRow> CancelAsync(DbSession session, Db db, Access access, string visitId, string reason)
    {
        var (visit, programme) = await LoadAsync(db, access, visitId);
        var now = time.GetUtcNow();
        if (!await AssistanceQueries.CancelVisitAsync(db, visitId, reason, now.ToUnixTimeMilliseconds()))
        {
            throw new InvalidOperationException($"Home visit {visitId} was locked as scheduled but could not be cancelled.");
        }
        // The trainee still needs help: the request waits for another visit.
        await AssistanceQueries.UpdateStatusAsync(db, visit.AssistanceRequestId, (int)AssistanceStatus.Open, visit.InstructorId, null);
        var cancelled = (await AssistanceQueries.GetVisitAsync(db, visitId))!;
        await notifications.HomeVisitChangedAsync(session, cancelled, programme, await PeopleQueries.GetAsync(db, cancelled.TraineeId),
            HomeVisitChange.Cancelled, now);
        return cancelled;
    }

    /// <summary>The locked visit and its programme, once the caller may change it and it is still scheduled.</summary>
    private static async Task<(VisitRow Visit, ProgrammeRow Programme)> LoadAsync(Db db, Access access, string visitId)
    {
        var visit = await AssistanceQueries.GetVisitAsync(db, visitId, lockRow: true);
        if (visit is null || !await access.CoversProgrammeAsync(visit.ProgrammeId))
        {
            // The same answer as for another office's or programme's visit, unless the caller could see any.
            throw access.IsAdmin ? new NotFoundException("home visit", visitId) : Access.Denied();
        }
        await access.RequireAdminOrInstructorOfAsync(visit.ProgrammeId);
        HomeVisitRules.EnsureScheduled(visit.HomeVisitId, HomeVisitRules.StateOf(visit.Outcome, visit.CancelledAt));
        var programme = await ProgrammeQueries.GetAsync(db, visit.ProgrammeId) ?? throw new NotFoundException("programme", visit.ProgrammeId);
        return (visit, programme);
    }

    private DateOnly TodayIn(string timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);
}
