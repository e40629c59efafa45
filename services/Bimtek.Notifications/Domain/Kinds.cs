namespace Bimtek.Notifications.Domain;

/// <summary>A person's language (numbers as in the contract's <c>Language</c>).</summary>
public enum MessageLanguage
{
    Indonesian = 1,
    English = 2,
}

/// <summary>A way to reach a person (numbers as in the contract's <c>Channel</c>).</summary>
public enum ChannelKind
{
    None = 0,
    WhatsApp = 1,
    Sms = 2,
    Email = 3,
    WebPush = 4,
    DevOutbox = 5,
}

/// <summary>A message's delivery status (numbers as in the contract's <c>DeliveryStatus</c>).</summary>
public enum MessageStatus
{
    Queued = 1,
    Sent = 2,
    Delivered = 3,
    Read = 4,
    Failed = 5,
    Suppressed = 6,

    /// <summary>
    /// A provider had the message when its sender stopped: whether it went out is not known. Never re-sent by the
    /// service; the provider's delivery report settles it, or it turns <see cref="Failed"/> after the unknown-outcome window.
    /// </summary>
    Unknown = 7,
}

/// <summary>What the service knows about reaching one person.</summary>
public sealed record ContactInfo(
    string Subject,
    string Name,
    string Phone,
    string Email,
    MessageLanguage Language,
    ChannelKind PreferredChannel,
    bool OptedOut,
    bool Minor,
    string GuardianSubject,
    bool GuardianConsent,
    string PushEndpoint,
    string PushP256dh,
    string PushAuth)
{
    public bool HasPush => PushEndpoint.Length > 0 && PushP256dh.Length > 0 && PushAuth.Length > 0;
}
