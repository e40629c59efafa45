using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Domain;

/// <summary>
/// Minors need a guardian. A trainee counts as a minor for a programme when the programme's
/// start year minus the birth year is under 18: consent is about the time of the training, so a
/// 2020 programme of teenagers needs it even when they are adults today. Birth years only (no
/// birthdays are kept), so the rule is by year. <see cref="IsMinorIn"/> with the current year
/// gives the Person.minor flag.
/// </summary>
public static class GuardianPolicy
{
    public const int AdultAge = 18;

    public static bool IsMinorIn(int year, int birthYear) => year - birthYear < AdultAge;

    public static void EnsureMayEnrol(string traineeId, int birthYear, string? guardianName, bool guardianConsent, int programmeStartYear)
    {
        if (IsMinorIn(programmeStartYear, birthYear) && (string.IsNullOrWhiteSpace(guardianName) || !guardianConsent))
        {
            var message = $"The trainee is under {AdultAge} in {programmeStartYear}: a guardian's name and consent must be recorded before enrolment.";
            throw new PreconditionException(
                Reasons.GuardianConsentMissing,
                message,
                [new PreconditionViolation(Reasons.GuardianConsentMissing, $"people/{traineeId}", message)]);
        }
    }
}
