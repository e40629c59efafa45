namespace Bimtek.Identity.Domain;

/// <summary>Every reason code this service answers with (<c>ErrorInfo.reason</c>).</summary>
public static class Reasons
{
    /// <summary>The account is disabled (its person was withdrawn or unassigned).</summary>
    public const string AccountDisabled = "ACCOUNT_DISABLED";

    /// <summary>Sign-in codes are for trainees' accounts only.</summary>
    public const string NotATrainee = "NOT_A_TRAINEE";

    /// <summary>Invitations are for staff and recipient accounts (trainees sign in with codes).</summary>
    public const string NotInvitable = "NOT_INVITABLE";

    /// <summary>Too many codes or attempts for this person or address lately; retry after the given delay.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>This request_id already issued a code or invitation; it is never shown twice.</summary>
    public const string AlreadyIssued = "ALREADY_ISSUED";
}
