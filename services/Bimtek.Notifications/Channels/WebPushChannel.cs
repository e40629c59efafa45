using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Channels;

/// <summary>
/// Web push to the field app (RFC 8030 with VAPID, RFC 8292, payload encrypted per RFC 8291) through
/// Lib.Net.Http.WebPush. 404/410 from the push service means the subscription is gone: permanent.
/// </summary>
public sealed class WebPushChannel(HttpClient http, IOptions<NotificationsOptions> options) : INotificationChannel
{
    public ChannelKind Kind => ChannelKind.WebPush;

    public async Task<SendResult> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        var settings = options.Value.WebPush;
        var client = new PushServiceClient(http)
        {
            DefaultAuthentication = new VapidAuthentication(settings.PublicKey, settings.PrivateKey) { Subject = settings.Subject },
            DefaultTimeToLive = (int)settings.TimeToLive.TotalSeconds,
            // Retries are the sender's (shared back-off, then fallback).
            AutoRetryAfter = false,
        };
        var subscription = new PushSubscription { Endpoint = message.PushEndpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, message.PushP256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, message.PushAuth);
        var payload = System.Text.Json.JsonSerializer.Serialize(new { id = message.MessageId, template = message.Template, text = message.Text });
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, new PushMessage(payload) { Topic = null, Urgency = PushMessageUrgency.Normal }, cancellationToken);
            return SendResult.Accepted(message.MessageId);
        }
        catch (PushServiceClientException ex)
        {
            var code = (int)ex.StatusCode;
            var transient = code is 408 or 429 || code >= 500;
            return new SendResult(transient ? SendOutcome.Transient : SendOutcome.Permanent, Detail: $"HTTP {code}: {ex.Message}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HttpOutcome.Unreachable(ex);
        }
    }
}
