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
/// <item>a provider call of this message still in flight (its claim younger than <c>SendLease</c>) → try later; a claim
/// older than that was left by a process that died mid-call: the message becomes UNKNOWN and is <b>not</b> sent again
/// (the provider may have it); its delivery report settles it, or it turns FAILED after <c>UnknownOutcomeWindow</c>;</item>
/// <item>the addressee's contact is read now (a change since the event counts): opted out, no guardian's consent for a
/// minor, or no usable address → suppressed;</item>
/// <item>due during quiet hours after all (a retry drifted into the night) → a new send row for the morning;</item>
/// <item>each channel of <see cref="ChannelPlan"/> in turn, each tried up to <c>TriesPerChannel</c> times with the
/// shared back-off while its provider answers 429/5xx or is unreachable; a permanent refusal moves on at once;</item>
/// <item>every try claims the message and records the attempt as in flight in one commit <b>before</b> the provider
/// call, and records the outcome (and, on acceptance, the sent status) in one commit after it: a crash between the
/// provider's acceptance and our commit leaves the claim, which the next sender reads as "unknown", never as "send
/// again". The first acceptance marks the message sent (a secret's text is redacted in the log); all channels failing
/// marks it failed and throws, so the relay retries later with its own back-off.</item>
/// </list>
/// Every try of one send carries the same idempotency key (<see cref="SendKeys"/>) in the form each provider documents.
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

    /// <summary>The dev outbox's call is in-process and instant: a claim older than this was left by a dead process.</summary>
    private static TimeSpan DevOutboxLease => TimeSpan.FromSeconds(5);

    public async Task SendAsync(string messageId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = await messages.ReadAsync(messageId, cancellationToken);
        if (message is { MessageStatus: MessageStatus.Unknown })
        {
            await SettleUnknownAsync(message);
            return;
        }
        if (message is null || message.MessageStatus is not (MessageStatus.Queued or MessageStatus.Failed))
        {
            return;
        }
        if (message.InFlightSince is { } leftClaim && !await ClaimLeftBehindAsync(message, leftClaim))
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
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(arguments.GetValueOrDefault("time_zone") ?? "", out var own) ? own : TimeZoneInfo.FindSystemTimeZoneById(settings.DefaultTimeZone);
            var allowed = new QuietHours(settings.QuietFrom, settings.QuietUntil).NextAllowed(now, zone);
            if (allowed > now)
            {
                await database.InTransactionAsync(async s =>
                {
                    var id = await outbox.EnqueueAsync(s, EventIntake.SendDestination, new SendMessageRequest { MessageId = messageId });
                    await s.ExecuteAsync("UPDATE outbox_messages SET next_attempt_at = @due WHERE id = @id", new { id, due = Instants.ToUnixMs(allowed) });
                    await s.ExecuteAsync("UPDATE messages SET not_before = @due WHERE message_id = @messageId", new { messageId, due = Instants.ToUnixMs(allowed) });
                }, cancellationToken);
                return;
            }
        }

        var phone = contact?.Phone is { Length: > 0 } p ? p : PhoneNumberRules.ToE164(arguments.GetValueOrDefault("to_phone")) ?? "";
        var email = contact?.Email is { Length: > 0 } e ? e : arguments.GetValueOrDefault("to_email") ?? "";
        var outgoing = new Outgoing(message.MessageId, message.Template, message.MessageLanguage, message.Text, phone, email,
            contact?.PushEndpoint ?? "", contact?.PushP256dh ?? "", contact?.PushAuth ?? "", SendKeys.For(message.MessageId, message.Resends));
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
                var claimedAt = time.NowMs();
                if (!await database.InTransactionAsync(s => MessageStore.TryClaimAsync(s, messageId, kind, claimedAt), cancellationToken))
                {
                    // Another sender claimed it since we read it (a duplicate delivery of the send row): it sends, not us.
                    throw new SendInFlightException(messageId);
                }
                var result = await _channels[kind].SendAsync(outgoing, cancellationToken);
                tries++;
                var outcome = result.Outcome.ToString().ToLowerInvariant();
                if (result.Outcome == SendOutcome.Sent)
                {
                    var text = secret
                        ? Templates.Render(message.Template, message.MessageLanguage, EventPlanner.Redacted(arguments), (int)message.ItemCount)
                        : message.Text;
                    await database.InTransactionAsync(async s =>
                    {
                        await MessageStore.SettleAttemptAsync(s, messageId, claimedAt, outcome, result.Detail);
                        await MessageStore.RecordAsync(s, messageId, MessageStatus.Sent, kind, tries, "", result.ProviderMessageId,
                            time.NowMs(), text);
                    }, CancellationToken.None);
                    return;
                }
                await database.InTransactionAsync(s => MessageStore.SettleAttemptAsync(s, messageId, claimedAt, outcome, result.Detail), CancellationToken.None);
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

    /// <summary>
    /// The message's claim was not released: a sender is still calling its provider (young claim: the relay tries again
    /// later), or one died mid-call (older than <c>SendLease</c>): the message becomes UNKNOWN, and a send row due at the
    /// end of the unknown-outcome window settles it then if no delivery report did. The one exception is the dev
    /// outbox: it lives in the sending process's memory, so a claim its dead process left reached nobody (its lease is a
    /// few seconds, the call takes microseconds): the attempt is recorded as lost and the message is sent (true).
    /// </summary>
    private async Task<bool> ClaimLeftBehindAsync(MessageRow message, long claimedAt)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var channel = (ChannelKind)message.InFlightChannel;
        var lease = channel == ChannelKind.DevOutbox ? DevOutboxLease : settings.SendLease;
        if (now < Instants.FromUnixMs(claimedAt) + lease)
        {
            throw new SendInFlightException(message.MessageId);
        }
        if (channel == ChannelKind.DevOutbox)
        {
            await database.InTransactionAsync(s => MessageStore.SettleAttemptAsync(s, message.MessageId, claimedAt, "lost",
                "the process stopped during the call; the dev outbox went with it, so the message is sent again"), CancellationToken.None);
            return true;
        }
        var error = $"{channel}: the sender stopped during the provider call; whether it went out is unknown. Not sent again: " +
            "the provider's delivery report settles it, or it turns failed (resendable) after " + settings.UnknownOutcomeWindow + ".";
        await database.InTransactionAsync(async s =>
        {
            if (await MessageStore.MarkUnknownAsync(s, message.MessageId, claimedAt, Instants.ToUnixMs(now), error))
            {
                var id = await outbox.EnqueueAsync(s, EventIntake.SendDestination, new SendMessageRequest { MessageId = message.MessageId });
                await s.ExecuteAsync("UPDATE outbox_messages SET next_attempt_at = @due WHERE id = @id",
                    new { id, due = Instants.ToUnixMs(now + settings.UnknownOutcomeWindow) });
            }
        }, CancellationToken.None);
        LogOutcomeUnknown(logger, message.MessageId, channel);
        return false;
    }

    /// <summary>An UNKNOWN message's window is over and no report settled it: FAILED, for an operator to resend or not.</summary>
    private async Task SettleUnknownAsync(MessageRow message)
    {
        var window = options.Value.UnknownOutcomeWindow;
        if (message.UnknownSince is { } since && time.GetUtcNow() < Instants.FromUnixMs(since) + window)
        {
            return; // a stray early delivery: the row due at the window's end settles it
        }
        await database.InTransactionAsync(s => MessageStore.FailUnknownAsync(s, message.MessageId,
            $"no delivery report within {window} after the sender stopped mid-call; not sent again automatically (resend to try again)"),
            CancellationToken.None);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: its sender stopped during a {Channel} call; the outcome is unknown and it is not sent again")]
    private static partial void LogOutcomeUnknown(ILogger logger, string messageId, ChannelKind channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: {Channel} try {Attempt} failed: {Detail}")]
    private static partial void LogTryFailed(ILogger logger, string messageId, ChannelKind channel, int attempt, string detail);
}

/// <summary>Every channel failed; the outbox relay retries the send later.</summary>
public sealed class ChannelsFailedException(string messageId, string lastError)
    : Exception($"Message {messageId}: every channel failed; last: {lastError}");

/// <summary>Another sender is calling a provider with this message now; the relay tries the send row again later.</summary>
public sealed class SendInFlightException(string messageId)
    : Exception($"Message {messageId}: a provider call is in flight; trying again later");
