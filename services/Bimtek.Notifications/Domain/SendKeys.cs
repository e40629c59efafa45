namespace Bimtek.Notifications.Domain;

/// <summary>
/// The idempotency key a provider gets with a message: the message id, and for the n-th resend the message id and
/// <c>.n</c> (an operator's resend is meant to reach the person again, so a provider that de-duplicates must not drop
/// it). Every retry and fallback of one send carries the same key. Providers echo it back in their reports (WhatsApp's
/// <c>biz_opaque_callback_data</c>, the e-mail's Message-ID), which names our message when its provider id was
/// never recorded.
/// </summary>
public static class SendKeys
{
    public static string For(string messageId, long resends) => resends == 0 ? messageId : $"{messageId}.{resends}";

    /// <summary>The message id a key (or an e-mail Message-ID <c>key@bimtek</c>) names.</summary>
    public static string MessageIdOf(string key)
    {
        var id = key.Trim('<', '>');
        var at = id.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            id = id[..at];
        }
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        return dot >= 0 ? id[..dot] : id;
    }
}
