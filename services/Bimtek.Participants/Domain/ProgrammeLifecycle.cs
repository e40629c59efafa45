using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Domain;

/// <summary>A programme's lifecycle state; the numbers are those of the proto's ProgrammeStatus.</summary>
public enum ProgrammeState
{
    Draft = 1,
    Active = 2,
    Completed = 3,
    Cancelled = 4,
}

/// <summary>
/// The programme lifecycle: draft → active → completed, or (from draft or active) cancelled.
/// Each transition either returns the new state or throws FAILED_PRECONDITION with a stable reason.
/// </summary>
public static class ProgrammeLifecycle
{
    public static ProgrammeState Activate(string programmeId, ProgrammeState current, int assignedInstructors)
    {
        if (current != ProgrammeState.Draft)
        {
            throw Refuse(Reasons.ProgrammeNotDraft, programmeId, $"Only a DRAFT programme can be activated; it is {Name(current)}.");
        }
        if (assignedInstructors < 1)
        {
            throw Refuse(Reasons.ProgrammeWithoutInstructor, programmeId, "A programme needs at least one instructor assigned before it is activated.");
        }
        return ProgrammeState.Active;
    }

    public static ProgrammeState Complete(string programmeId, ProgrammeState current) =>
        current == ProgrammeState.Active
            ? ProgrammeState.Completed
            : throw Refuse(Reasons.ProgrammeNotActive, programmeId, $"Only an ACTIVE programme can be completed; it is {Name(current)}.");

    public static ProgrammeState Cancel(string programmeId, ProgrammeState current) =>
        IsOpen(current)
            ? ProgrammeState.Cancelled
            : throw Refuse(Reasons.ProgrammeClosed, programmeId, $"The programme is already {Name(current)}.");

    /// <summary>Draft and active programmes take enrolments, staff, lessons and other changes; finished ones do not.</summary>
    public static bool IsOpen(ProgrammeState state) => state is ProgrammeState.Draft or ProgrammeState.Active;

    public static void EnsureOpen(string programmeId, ProgrammeState current, string what)
    {
        if (!IsOpen(current))
        {
            throw Refuse(Reasons.ProgrammeClosed, programmeId, $"The programme is {Name(current)}: no {what}.");
        }
    }

    /// <summary>Seats: a new active enrolment needs fewer active enrolments than the capacity.</summary>
    public static void EnsureSeatFree(string programmeId, long activeEnrolments, long capacity)
    {
        if (activeEnrolments >= capacity)
        {
            throw new PreconditionException(
                Reasons.ProgrammeAtCapacity,
                $"The programme is full: {activeEnrolments} of {capacity} seats taken.",
                [new PreconditionViolation(Reasons.ProgrammeAtCapacity, $"programmes/{programmeId}", $"capacity {capacity} reached")]);
        }
    }

    /// <summary>Whether <paramref name="day"/> is one of the programme's days (both ends inclusive).</summary>
    public static bool IsProgrammeDay(DateOnly day, DateOnly start, DateOnly end) => day >= start && day <= end;

    private static string Name(ProgrammeState state) => state.ToString().ToUpperInvariant();

    private static PreconditionException Refuse(string reason, string programmeId, string message) =>
        new(reason, message, [new PreconditionViolation(reason, $"programmes/{programmeId}", message)]);
}
