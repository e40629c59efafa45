using Bimtek.Notifications.Domain;

namespace Bimtek.Notifications.Channels;

/// <summary>
/// One message on its way to one address. <see cref="IdempotencyKey"/> (<see cref="SendKeys"/>) is passed to each
/// provider in the form it documents, so a provider that de-duplicates drops a repeat of the same send.
/// </summary>
public sealed record Outgoing(
    string MessageId,
    string Template,
    MessageLanguage Language,
    string Text,
    string Phone,
    string Email,
    string PushEndpoint,
    string PushP256dh,
    string PushAuth,
    string IdempotencyKey);

public enum SendOutcome
{
    /// <summary>The provider accepted the message.</summary>
    Sent,

    /// <summary>Try again later: 429, 5xx, a timeout, no connection.</summary>
    Transient,

    /// <summary>This channel will not take it (bad number, unknown subscription, refused): try the next channel.</summary>
    Permanent,
}

public sealed record SendResult(SendOutcome Outcome, string ProviderMessageId = "", string Detail = "", TimeSpan? RetryAfter = null)
{
    public static SendResult Accepted(string providerMessageId) => new(SendOutcome.Sent, providerMessageId);
}

/// <summary>A provider's client. It reports what happened; retries and fallback are the sender's.</summary>
public interface INotificationChannel
{
    ChannelKind Kind { get; }

    Task<SendResult> SendAsync(Outgoing message, CancellationToken cancellationToken);
}

/// <summary>Classifies HTTP answers the same way for every HTTP provider.</summary>
internal static class HttpOutcome
{
    public static async Task<SendResult?> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = $"HTTP {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}";
        var code = (int)response.StatusCode;
        var transient = code is 408 or 429 || code >= 500;
        var retryAfter = response.Headers.RetryAfter?.Delta;
        return new SendResult(transient ? SendOutcome.Transient : SendOutcome.Permanent, Detail: detail, RetryAfter: retryAfter);
    }

    public static SendResult Unreachable(Exception error) => new(SendOutcome.Transient, Detail: $"{error.GetType().Name}: {error.Message}");
}
