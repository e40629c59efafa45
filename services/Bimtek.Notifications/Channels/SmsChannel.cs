using System.Net.Http.Headers;
using System.Text.Json;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Channels;

/// <summary>
/// A generic HTTP SMS gateway, the shape most Indonesian providers offer: <c>POST {BaseUrl}/messages</c> with
/// <c>Authorization: Bearer {ApiKey}</c> and <c>{"from","to","text","reference"}</c> (<c>to</c> in E.164); the answer's
/// <c>id</c> names the message in the provider's status callbacks. <c>reference</c> and the <c>Idempotency-Key</c>
/// header (the IETF httpapi draft's name) carry the send's idempotency key (<see cref="SendKeys"/>), so a provider that
/// de-duplicates drops a repeat of the same send.
/// </summary>
public sealed class SmsChannel(HttpClient http, IOptions<NotificationsOptions> options) : INotificationChannel
{
    public ChannelKind Kind => ChannelKind.Sms;

    public async Task<SendResult> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        var settings = options.Value.Sms;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{settings.BaseUrl.TrimEnd('/')}/messages")
        {
            Content = JsonContent.Create(new { from = settings.SenderId, to = message.Phone, text = message.Text, reference = message.IdempotencyKey }),
        };
        request.Headers.Add("Idempotency-Key", message.IdempotencyKey);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (await HttpOutcome.FailureAsync(response, cancellationToken) is { } failure)
            {
                return failure;
            }
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var id = answer.RootElement.TryGetProperty("id", out var value) ? value.GetString() ?? "" : "";
            return SendResult.Accepted(id.Length > 0 ? id : message.MessageId);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HttpOutcome.Unreachable(ex);
        }
    }
}
