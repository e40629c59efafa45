namespace Bimtek.Notifications.Domain;

/// <summary>Every reason code this service answers with (<c>ErrorInfo.reason</c>) besides the shared ones.</summary>
public static class Reasons
{
    /// <summary>A phone number that is not a valid number (checked with libphonenumber, Indonesia as the default region).</summary>
    public const string InvalidPhone = "INVALID_PHONE";

    /// <summary>A time zone that is not an IANA time zone id.</summary>
    public const string InvalidTimeZone = "INVALID_TIME_ZONE";

    /// <summary>A resend of a message still queued, or of a sign-in code or invitation (whose secret is not kept).</summary>
    public const string MessageNotResendable = "MESSAGE_NOT_RESENDABLE";
}
