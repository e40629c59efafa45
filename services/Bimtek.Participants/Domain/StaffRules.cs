using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Domain;

/// <summary>A person's kind; the numbers are those of the proto's PersonKind.</summary>
public enum PersonType
{
    Trainee = 1,
    Instructor = 2,
    HealthExpert = 3,
}

/// <summary>A staff member's role in a programme; the numbers are those of the proto's StaffRole.</summary>
public enum StaffPosition
{
    Instructor = 1,
    HealthExpert = 2,
}

/// <summary>
/// Who staffs a programme. Rules: an instructor role takes an instructor, a health expert role a health expert
/// (STAFF_KIND_MISMATCH); only an assigned person is unassigned (STAFF_NOT_ASSIGNED); an active programme keeps at
/// least one instructor (LAST_INSTRUCTOR; activation needs one too, <see cref="ProgrammeLifecycle.Activate"/>).
/// </summary>
public static class StaffRules
{
    /// <summary>Throws FAILED_PRECONDITION unless a person of <paramref name="kind"/> may take <paramref name="role"/>.</summary>
    public static void EnsureFits(string personId, PersonType kind, StaffPosition role)
    {
        if ((role, kind) is not ((StaffPosition.Instructor, PersonType.Instructor) or (StaffPosition.HealthExpert, PersonType.HealthExpert)))
        {
            var message = $"A {kind} cannot be assigned as {role}.";
            throw new PreconditionException(Reasons.StaffKindMismatch, message, [new PreconditionViolation(Reasons.StaffKindMismatch, $"people/{personId}", message)]);
        }
    }

    /// <summary>
    /// Throws FAILED_PRECONDITION unless the person may leave the programme: they are assigned, and they are not the last
    /// instructor of an active programme.
    /// </summary>
    public static void EnsureMayUnassign(string programmeId, string personId, ProgrammeState state, StaffPosition? role, long instructors)
    {
        if (role is null)
        {
            var message = "The person is not assigned to this programme.";
            throw new PreconditionException(Reasons.StaffNotAssigned, message, [new PreconditionViolation(Reasons.StaffNotAssigned, $"people/{personId}", message)]);
        }
        if (state == ProgrammeState.Active && role == StaffPosition.Instructor && instructors <= 1)
        {
            var message = "An active programme keeps at least one instructor.";
            throw new PreconditionException(Reasons.LastInstructor, message,
                [new PreconditionViolation(Reasons.LastInstructor, $"programmes/{programmeId}", message)]);
        }
    }
}
