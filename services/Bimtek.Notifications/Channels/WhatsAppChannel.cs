using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Channels;

/// <summary>
/// WhatsApp Business Cloud API: <c>POST {BaseUrl}/{ApiVersion}/{PhoneNumberId}/messages</c> with the access token as
/// Bearer, a <c>template</c> message (business-initiated messages must use an approved template) whose one body
/// parameter carries the text. The answer's <c>messages[0].id</c> (a <c>wamid</c>) is the id its status callbacks name.
/// The Cloud API takes no idempotency key; <c>biz_opaque_callback_data</c> carries ours (<see cref="SendKeys"/>) and
/// comes back in every status callback, so a report settles a message whose wamid we never recorded.
/// </summary>
public sealed class WhatsAppChannel(HttpClient http, IOptions<NotificationsOptions> options) : INotificationChannel
{
    public ChannelKind Kind => ChannelKind.WhatsApp;

    public async Task<SendResult> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        var settings = options.Value.WhatsApp;
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            // The Cloud API takes the number with its country code, without '+'.
            ["to"] = message.Phone.TrimStart('+'),
            ["type"] = "template",
            ["biz_opaque_callback_data"] = message.IdempotencyKey,
            ["template"] = new JsonObject
            {
                ["name"] = settings.TemplateName,
                ["language"] = new JsonObject { ["code"] = message.Language == MessageLanguage.English ? "en" : "id" },
                ["components"] = new JsonArray(new JsonObject
                {
                    ["type"] = "body",
                    ["parameters"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = message.Text }),
                }),
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{settings.BaseUrl.TrimEnd('/')}/{settings.ApiVersion}/{Uri.EscapeDataString(settings.PhoneNumberId)}/messages")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (await HttpOutcome.FailureAsync(response, cancellationToken) is { } failure)
            {
                return failure;
            }
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var id = answer.RootElement.TryGetProperty("messages", out var messages) && messages.GetArrayLength() > 0
                ? messages[0].GetProperty("id").GetString() ?? ""
                : "";
            return id.Length > 0 ? SendResult.Accepted(id) : new SendResult(SendOutcome.Transient, Detail: "answer without messages[0].id");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HttpOutcome.Unreachable(ex);
        }
    }
}
