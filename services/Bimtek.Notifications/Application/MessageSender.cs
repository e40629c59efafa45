using System.Threading.RateLimiting;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Notifications.Channels;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Application;

/// <summary>
/// Sends one queued message (called by this service's outbox relay when the message is due). Steps:
/// <list type="number">
/// <item>a message no longer queued (sent, suppressed) is done: a redelivery after a crash sends nothing twice;</item>
/// <item>the addressee's contact is read now (a change since the event counts): opted out, no guardian's consent for a
/// minor, or no usable address → suppressed;</item>
/// <item>due during quiet hours after all (a retry drifted into the night) → a new send row for the morning;</item>
/// <item>each channel of <see cref="ChannelPlan"/> in turn, each tried up to <c>TriesPerChannel</c> times with the
/// shared back-off while its provider answers 429/5xx or is unreachable; a permanent refusal moves on at once;</item>
/// <item>every try is recorded in <c>delivery_attempts</c>; the first acceptance marks the message sent (a secret's
/// text is redacted in the log); all channels failing marks it failed and throws, so the relay retries later with
/// its own back-off.</item>
/// </list>
/// </summary>
public sealed partial class MessageSender(
    Database database,
    MessageStore messages,
    ContactStore contacts,
    IEnumerable<INotificationChannel> channels,
    OutboxWriter outbox,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<MessageSender> logger)
{
    private readonly Dictionary<ChannelKind, INotificationChannel> _channels = channels.ToDictionary(c => c.Kind);
    private readonly Dictionary<ChannelKind, RateLimiter> _limits = channels.ToDictionary(c => c.Kind, _ => (RateLimiter)new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = Math.Max(1, options.Value.MessagesPerSecondPerChannel),
        TokensPerPeriod = Math.Max(1, options.Value.MessagesPerSecondPerChannel),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 10_000,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    }));

    public async Task SendAsync(string messageId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = await messages.ReadAsync(messageId, cancellationToken);
        if (message is null || message.MessageStatus is not (MessageStatus.Queued or MessageStatus.Failed))
        {
            return;
        }
        var arguments = message.ArgumentMap;
        var contact = await contacts.FindAsync(message.Subject, cancellationToken);
        if (contact is { OptedOut: true })
        {
            await FinishAsync(message, MessageStatus.Suppressed, ChannelKind.None, 0, "opted out", "", null, message.Text);
            return;
        }
        if (contact is { Minor: true, GuardianConsent: false })
        {
            await FinishAsync(message, MessageStatus.Suppressed, ChannelKind.None, 0, "a minor without a guardian's consent", "", null, message.Text);
            return;
        }
        var now = time.GetUtcNow();
        var secret = arguments.GetValueOrDefault("secret") == "1";
        if (!secret)
        {
            var zone = TimeZones.TryFind(arguments.GetValueOrDefault("time_zone") ?? "", out var own) ? own : TimeZones.Find(settings.DefaultTimeZone);
            var allowed = new QuietHours(settings.QuietFrom, settings.QuietUntil).NextAllowed(now, zone);
            if (allowed > now)
            {
                await database.InTransactionAsync(async s =>
                {
                    var id = await outbox.EnqueueAsync(s, EventIntake.SendDestination, new SendMessageRequest { MessageId = messageId });
                    await s.ExecuteAsync("UPDATE outbox_messages SET next_attempt_at = @due WHERE id = @id", new { id, due = allowed.ToUnixTimeMilliseconds() });
                    await s.ExecuteAsync("UPDATE messages SET not_before = @due WHERE message_id = @messageId", new { messageId, due = allowed.ToUnixTimeMilliseconds() });
                }, cancellationToken);
                return;
            }
        }

        var phone = contact?.Phone is { Length: > 0 } p ? p : PhoneNumberRules.ToE164(arguments.GetValueOrDefault("to_phone")) ?? "";
        var email = contact?.Email is { Length: > 0 } e ? e : arguments.GetValueOrDefault("to_email") ?? "";
        var outgoing = new Outgoing(message.MessageId, message.Template, message.MessageLanguage, message.Text, phone, email,
            contact?.PushEndpoint ?? "", contact?.PushP256dh ?? "", contact?.PushAuth ?? "");
        var plan = settings.DevOutbox
            ? [ChannelKind.DevOutbox]
            : ChannelPlan.For(phone, email, contact?.HasPush ?? false, contact?.PreferredChannel ?? ChannelKind.None, Configured(settings));
        if (plan.Count == 0)
        {
            await FinishAsync(message, MessageStatus.Suppressed, ChannelKind.None, 0, "no usable address or channel", "", null, message.Text);
            return;
        }

        var tries = 0;
        var lastError = "";
        foreach (var kind in plan)
        {
            for (var attempt = 1; attempt <= Math.Max(1, settings.TriesPerChannel); attempt++)
            {
                using var lease = await _limits[kind].AcquireAsync(1, cancellationToken);
                var result = await _channels[kind].SendAsync(outgoing, cancellationToken);
                tries++;
                await database.InTransactionAsync(s => MessageStore.AddAttemptAsync(s, messageId, time.GetUtcNow().ToUnixTimeMilliseconds(), kind,
                    result.Outcome.ToString().ToLowerInvariant(), result.Detail), CancellationToken.None);
                if (result.Outcome == SendOutcome.Sent)
                {
                    var text = secret
                        ? Templates.Render(message.Template, message.MessageLanguage, EventPlanner.Redacted(arguments), (int)message.ItemCount)
                        : message.Text;
                    await FinishAsync(message, MessageStatus.Sent, kind, tries, "", result.ProviderMessageId, time.GetUtcNow().ToUnixTimeMilliseconds(), text);
                    return;
                }
                lastError = $"{kind}: {result.Detail}";
                LogTryFailed(logger, messageId, kind, attempt, result.Detail);
                if (result.Outcome == SendOutcome.Permanent || attempt == settings.TriesPerChannel)
                {
                    break;
                }
                var delay = Backoff.Delay(attempt, settings.RetryDelay, settings.MaxRetryDelay, 0.5, 1.0);
                if (result.RetryAfter is { } retryAfter && retryAfter > delay)
                {
                    delay = retryAfter < settings.MaxRetryDelay ? retryAfter : settings.MaxRetryDelay;
                }
                await Task.Delay(delay, time, cancellationToken);
            }
        }
        await FinishAsync(message, MessageStatus.Failed, ChannelKind.None, tries, lastError, "", null, message.Text);
        throw new ChannelsFailedException(messageId, lastError);
    }

    /// <summary>The channels whose settings are present.</summary>
    private static HashSet<ChannelKind> Configured(NotificationsOptions settings)
    {
        var configured = new HashSet<ChannelKind>();
        if (settings.WhatsApp.Enabled)
        {
            configured.Add(ChannelKind.WhatsApp);
        }
        if (settings.Sms.Enabled)
        {
            configured.Add(ChannelKind.Sms);
        }
        if (settings.Email.Enabled)
        {
            configured.Add(ChannelKind.Email);
        }
        if (settings.WebPush.Enabled)
        {
            configured.Add(ChannelKind.WebPush);
        }
        return configured;
    }

    private Task FinishAsync(MessageRow message, MessageStatus status, ChannelKind channel, int tries, string error, string providerId, long? sentAt, string text) =>
        database.InTransactionAsync(s => MessageStore.RecordAsync(s, message.MessageId, status, channel, tries, error, providerId, sentAt, text), CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: {Channel} try {Attempt} failed: {Detail}")]
    private static partial void LogTryFailed(ILogger logger, string messageId, ChannelKind channel, int attempt, string detail);
}

/// <summary>Every channel failed; the outbox relay retries the send later.</summary>
public sealed class ChannelsFailedException(string messageId, string lastError)
    : Exception($"Message {messageId}: every channel failed; last: {lastError}");

/// <summary>Time zones by IANA id.</summary>
public static class TimeZones
{
    public static TimeZoneInfo Find(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    public static bool TryFind(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
