using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Domain;

/// <summary>Where an assistance request stands; the numbers are those of the proto's AssistanceStatus.</summary>
public enum AssistanceState
{
    Open = 1,
    VisitScheduled = 2,
    Resolved = 3,
    Closed = 4,
}

/// <summary>What a logged home visit found; the numbers are those of the proto's VisitOutcome.</summary>
public enum VisitFinding
{
    Resolved = 1,
    NeedsAnotherVisit = 2,
    TraineeWithdrew = 3,
}

/// <summary>
/// An assistance request's life. Rules:
/// <list type="bullet">
/// <item>it is open until a home visit is booked for it (visit scheduled); only an open request takes a visit: one with a
/// visit booked answers VISIT_ALREADY_SCHEDULED, a resolved or closed one ASSISTANCE_REQUEST_CLOSED;</item>
/// <item>the visitor is an instructor of the request's programme (NOT_AN_INSTRUCTOR_OF_PROGRAMME), on a day that is not in
/// the past in the programme's time zone;</item>
/// <item>a logged visit settles it: resolved closes it as resolved, the trainee's withdrawal closes it, a visit that needs
/// another opens it again (cancelling the visit opens it again too: <see cref="HomeVisitRules"/>);</item>
/// <item>a behind-schedule request is opened once per trainee, programme and day (the unique index decides).</item>
/// </list>
/// </summary>
public static class AssistanceRules
{
    /// <summary>Throws FAILED_PRECONDITION unless the request is open for a visit to be booked.</summary>
    public static void EnsureOpenForVisit(string assistanceRequestId, AssistanceState state)
    {
        if (state == AssistanceState.Open)
        {
            return;
        }
        var reason = state == AssistanceState.VisitScheduled ? Reasons.VisitAlreadyScheduled : Reasons.AssistanceRequestClosed;
        var message = $"The assistance request is {state}, not open.";
        throw new PreconditionException(reason, message, [new PreconditionViolation(reason, $"assistance-requests/{assistanceRequestId}", message)]);
    }

    /// <summary>Throws FAILED_PRECONDITION unless the visitor is assigned to the programme as an instructor.</summary>
    public static void EnsureVisitorIsInstructor(string instructorId, bool assignedAsInstructor)
    {
        if (!assignedAsInstructor)
        {
            var message = "The visitor must be an instructor of the programme.";
            throw new PreconditionException(Reasons.NotAnInstructorOfProgramme, message,
                [new PreconditionViolation(Reasons.NotAnInstructorOfProgramme, $"people/{instructorId}", message)]);
        }
    }

    /// <summary>Throws INVALID_ARGUMENT when a visit is booked for a day before <paramref name="today"/>.</summary>
    public static void EnsureVisitDayNotPast(DateOnly day, DateOnly today)
    {
        if (day < today)
        {
            throw new ValidationException("day", "must not be in the past in the programme's time zone");
        }
    }

    /// <summary>The request's state after a visit with <paramref name="finding"/>, and whether that closes it.</summary>
    public static (AssistanceState State, bool Closes) AfterVisit(VisitFinding finding) => finding switch
    {
        VisitFinding.Resolved => (AssistanceState.Resolved, true),
        VisitFinding.TraineeWithdrew => (AssistanceState.Closed, true),
        _ => (AssistanceState.Open, false),
    };

    /// <summary>The description of a behind-schedule request, as the trainee's instructor reads it.</summary>
    public static string BehindScheduleDescription(string day, int doneUnits, int expectedUnits, int quota) =>
        $"Behind schedule on {day}: {doneUnits} of {expectedUnits} units expected by then (quota {quota}).";
}
