using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Domain;

/// <summary>
/// A trainee's enrolment in a programme. Rules: one active enrolment per trainee and programme (ALREADY_ENROLLED; the
/// unique index <c>enrolments_one_active</c> decides a race); only an active enrolment is withdrawn
/// (ENROLMENT_WITHDRAWN). Seats and the programme's state: <see cref="ProgrammeLifecycle"/>; minors:
/// <see cref="GuardianPolicy"/>; only trainees are enrolled: <see cref="PersonRules"/>.
/// </summary>
public static class EnrolmentRules
{
    /// <summary>Throws FAILED_PRECONDITION when the trainee already has an active enrolment in the programme.</summary>
    public static void EnsureNotEnrolled(string traineeId, bool activelyEnrolled)
    {
        if (activelyEnrolled)
        {
            var message = "The trainee is already enrolled in this programme.";
            throw new PreconditionException(Reasons.AlreadyEnrolled, message, [new PreconditionViolation(Reasons.AlreadyEnrolled, $"people/{traineeId}", message)]);
        }
    }

    /// <summary>Throws FAILED_PRECONDITION unless the enrolment is still active.</summary>
    public static void EnsureActive(string enrolmentId, bool active)
    {
        if (!active)
        {
            var message = "The enrolment is already withdrawn.";
            throw new PreconditionException(Reasons.EnrolmentWithdrawn, message,
                [new PreconditionViolation(Reasons.EnrolmentWithdrawn, $"enrolments/{enrolmentId}", message)]);
        }
    }
}
