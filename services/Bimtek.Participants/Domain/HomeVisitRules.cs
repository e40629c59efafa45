using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Domain;

/// <summary>Where a home visit stands: it is scheduled until its outcome is logged (done) or it is cancelled.</summary>
public enum VisitState
{
    Scheduled = 1,
    Done = 2,
    Cancelled = 3,
}

/// <summary>A visit's day and window in the programme's local time.</summary>
public readonly record struct VisitSlot(DateOnly Day, int WindowStartSeconds, int WindowEndSeconds);

/// <summary>
/// What may happen to a booked home visit. Rules:
/// <list type="bullet">
/// <item>only a scheduled visit may be moved, cancelled or have its outcome logged: a done visit answers
/// VISIT_ALREADY_LOGGED, a cancelled one VISIT_CANCELLED (a cancellation is final; book a new visit instead);</item>
/// <item>a move names a different slot (day or window) whose day is not in the past in the programme's time zone;
/// the window ends after it starts;</item>
/// <item>cancelling opens the visit's assistance request again, so another visit can be booked for it.</item>
/// </list>
/// </summary>
public static class HomeVisitRules
{
    public static VisitState StateOf(long outcome, long? cancelledAt) =>
        cancelledAt is not null ? VisitState.Cancelled : outcome != 0 ? VisitState.Done : VisitState.Scheduled;

    /// <summary>Throws FAILED_PRECONDITION unless the visit is still scheduled.</summary>
    public static void EnsureScheduled(string visitId, VisitState state)
    {
        var (reason, message) = state switch
        {
            VisitState.Done => (Reasons.VisitAlreadyLogged, "The visit's outcome is already logged."),
            VisitState.Cancelled => (Reasons.VisitCancelled, "The visit was cancelled."),
            _ => ((string?)null, ""),
        };
        if (reason is not null)
        {
            throw new PreconditionException(reason, message, [new PreconditionViolation(reason, $"home-visits/{visitId}", message)]);
        }
    }

    /// <summary>Throws INVALID_ARGUMENT unless <paramref name="to"/> is a slot the visit may move to on <paramref name="today"/>.</summary>
    public static void EnsureMayMove(VisitSlot from, VisitSlot to, DateOnly today)
    {
        if (to.WindowEndSeconds <= to.WindowStartSeconds)
        {
            throw new ValidationException("window_end", "must be after window_start");
        }
        if (to.Day < today)
        {
            throw new ValidationException("day", "must not be in the past in the programme's time zone");
        }
        if (to == from)
        {
            throw new ValidationException("day", "the visit is already at this day and time");
        }
    }
}
