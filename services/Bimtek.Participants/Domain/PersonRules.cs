using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Domain;

/// <summary>
/// What only a trainee has or does. Rules: only trainees are enrolled, have a guardian (name, phone, consent) and
/// get sign-in codes; anything else asked of another kind of person is FAILED_PRECONDITION NOT_A_TRAINEE, with the
/// caller's own words for what was asked.
/// </summary>
public static class PersonRules
{
    /// <summary>Throws FAILED_PRECONDITION (NOT_A_TRAINEE, <paramref name="message"/>) unless the person is a trainee.</summary>
    public static void EnsureTrainee(string personId, bool isTrainee, string message)
    {
        if (!isTrainee)
        {
            throw new PreconditionException(Reasons.NotATrainee, message, [new PreconditionViolation(Reasons.NotATrainee, $"people/{personId}", message)]);
        }
    }

    /// <summary>A guardian is named or reached for trainees only: a contact change of staff must leave both empty.</summary>
    public static void EnsureGuardianOnlyForTrainee(string personId, bool isTrainee, string guardianName, string guardianPhone)
    {
        if (guardianName.Length > 0 || guardianPhone.Length > 0)
        {
            EnsureTrainee(personId, isTrainee, "Only trainees have a guardian.");
        }
    }
}
