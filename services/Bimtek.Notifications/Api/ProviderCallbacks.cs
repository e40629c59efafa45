using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bimtek.Data.Persistence;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Api;

/// <summary>
/// Delivery status callbacks. WhatsApp (Meta webhooks): <c>GET /callbacks/whatsapp</c> answers the subscription
/// check (<c>hub.mode=subscribe</c>, <c>hub.verify_token</c>, echo <c>hub.challenge</c>); <c>POST</c> carries
/// <c>entry[].changes[].value.statuses[]</c> (<c>id</c> = the wamid, <c>status</c> sent|delivered|read|failed) and is
/// signed: <c>X-Hub-Signature-256: sha256=</c> hex HMAC-SHA256 of the raw body with the app secret. A missing or
/// wrong signature is refused with 401 and changes nothing. A status's <c>biz_opaque_callback_data</c> (our send key,
/// <see cref="SendKeys"/>) also settles an UNKNOWN message whose wamid was never recorded; so does an e-mail event's
/// Message-ID. An SMS report names only the provider's id: an UNKNOWN SMS waits for the unknown-outcome window.
/// <para>SMS (<c>POST /callbacks/sms</c>, Twilio's status callback, which many gateways copy): a form with
/// <c>MessageSid</c> (the id the provider answered when it took the message) and <c>MessageStatus</c>
/// (queued|sending|sent|delivered|undelivered|failed|read), signed <c>X-Twilio-Signature</c> = base64 HMAC-SHA1 with
/// the auth token of the callback URL followed by every form field sorted by name (name then value).</para>
/// <para>E-mail (<c>POST /callbacks/email</c>): SMTP has no delivery callbacks, so the e-mail provider's event webhook
/// in the suite's generic signed form: JSON <c>{"events":[{"message_id","event","detail"}]}</c> (<c>message_id</c> the
/// Message-ID we sent, event delivered|opened|bounced|dropped|failed), with <c>X-Bimtek-Timestamp</c> (Unix seconds,
/// at most 5 minutes from our clock: a replayed capture is refused) and <c>X-Bimtek-Signature: v1=</c> hex HMAC-SHA256
/// of <c>timestamp + "." + body</c> — the scheme of our own webhooks (<see cref="WebhookSignature"/>).</para>
/// </summary>
internal static class ProviderCallbacks
{
    public static IEndpointRouteBuilder MapProviderCallbacks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/callbacks/whatsapp", (HttpRequest request, IOptions<NotificationsOptions> options) =>
        {
            var token = options.Value.WhatsApp.VerifyToken;
            return request.Query["hub.mode"] == "subscribe" && token.Length > 0 && request.Query["hub.verify_token"] == token
                ? Results.Text(request.Query["hub.challenge"].ToString())
                : Results.StatusCode(StatusCodes.Status403Forbidden);
        }).AllowAnonymous();

        endpoints.MapPost("/callbacks/whatsapp", async (HttpRequest request, IOptions<NotificationsOptions> options, Database database) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var body = buffer.ToArray();
            if (!SignatureValid(options.Value.WhatsApp.AppSecret, request.Headers["X-Hub-Signature-256"].ToString(), body))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            var updates = ReadStatuses(body);
            if (updates is null)
            {
                return Results.BadRequest();
            }
            await database.InTransactionAsync(async s =>
            {
                foreach (var (id, status, detail, ours) in updates)
                {
                    // Our key names a message whose wamid was never recorded (its sender died before the answer): it settles it.
                    if (await MessageStore.ApplyProviderStatusAsync(s, id, status, detail) == 0 && ours.Length > 0)
                    {
                        await MessageStore.SettleUnknownAsync(s, SendKeys.MessageIdOf(ours), id, status, detail);
                    }
                }
            }, request.HttpContext.RequestAborted);
            return Results.Ok();
        }).AllowAnonymous();

        endpoints.MapPost("/callbacks/sms", async (HttpRequest request, IOptions<NotificationsOptions> options, Database database) =>
        {
            var settings = options.Value.Sms;
            if (!request.HasFormContentType)
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            var url = settings.CallbackUrl.Length > 0 ? settings.CallbackUrl : $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
            var fields = form.SelectMany(f => f.Value.Select(v => (f.Key, v ?? "")));
            if (!TwilioSignatureValid(settings.CallbackAuthToken, request.Headers["X-Twilio-Signature"].ToString(), url, fields))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            MessageStatus? status = form["MessageStatus"].ToString() switch
            {
                "sent" => MessageStatus.Sent,
                "delivered" => MessageStatus.Delivered,
                "read" => MessageStatus.Read,
                "undelivered" or "failed" => MessageStatus.Failed,
                _ => null, // queued, sending, accepted: nothing new
            };
            var id = form["MessageSid"].ToString();
            if (id.Length == 0)
            {
                return Results.BadRequest();
            }
            if (status is { } known)
            {
                var detail = form["ErrorCode"].ToString() is { Length: > 0 } code ? $"SMS error {code}" : "";
                await database.InTransactionAsync(s => MessageStore.ApplyProviderStatusAsync(s, id, known, detail), request.HttpContext.RequestAborted);
            }
            return Results.NoContent();
        }).AllowAnonymous().DisableAntiforgery();

        endpoints.MapPost("/callbacks/email", async (HttpRequest request, IOptions<NotificationsOptions> options, Database database, TimeProvider time) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var body = buffer.ToArray();
            var secret = options.Value.Email.CallbackSecret;
            if (secret.Length == 0 || !WebhookSignature.Verify(secret, request.Headers["X-Bimtek-Timestamp"].ToString(),
                request.Headers["X-Bimtek-Signature"].ToString(), body, time.GetUtcNow()))
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            var updates = ReadEmailEvents(body);
            if (updates is null)
            {
                return Results.BadRequest();
            }
            await database.InTransactionAsync(async s =>
            {
                foreach (var (id, status, detail) in updates)
                {
                    // The Message-ID is our key: it also settles a message whose sender died before recording it.
                    if (await MessageStore.ApplyProviderStatusAsync(s, id, status, detail) == 0)
                    {
                        await MessageStore.SettleUnknownAsync(s, SendKeys.MessageIdOf(id), id, status, detail);
                    }
                }
            }, request.HttpContext.RequestAborted);
            return Results.NoContent();
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// Twilio's request signature: base64 HMAC-SHA1 (key: the auth token) of the full URL followed by each form
    /// field, sorted by name (ordinal), as name then value; compared in constant time.
    /// </summary>
    public static bool TwilioSignatureValid(string authToken, string header, string url, IEnumerable<(string Name, string Value)> fields)
    {
        if (authToken.Length == 0 || header.Length == 0)
        {
            return false;
        }
        var text = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
        {
            text.Append(name).Append(value);
        }
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(text.ToString())));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header.Trim()));
    }

    private static List<(string Id, MessageStatus Status, string Detail)>? ReadEmailEvents(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var result = new List<(string, MessageStatus, string)>();
            foreach (var e in document.RootElement.GetProperty("events").EnumerateArray())
            {
                var id = e.GetProperty("message_id").GetString()?.Trim('<', '>') ?? "";
                MessageStatus? mapped = e.GetProperty("event").GetString() switch
                {
                    "delivered" => MessageStatus.Delivered,
                    "opened" or "open" => MessageStatus.Read,
                    "bounced" or "bounce" or "dropped" or "failed" => MessageStatus.Failed,
                    _ => null,
                };
                var detail = e.TryGetProperty("detail", out var d) ? d.ToString() : "";
                if (mapped is { } status && id.Length > 0)
                {
                    result.Add((id, status, detail.Length > 500 ? detail[..500] : detail));
                }
            }
            return result;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Constant-time check of <c>sha256=&lt;hex&gt;</c> against HMAC-SHA256(secret, body).</summary>
    public static bool SignatureValid(string secret, string header, byte[] body)
    {
        if (secret.Length == 0 || !header.StartsWith("sha256=", StringComparison.Ordinal))
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(header["sha256=".Length..]);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static List<(string Id, MessageStatus Status, string Detail, string Ours)>? ReadStatuses(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var result = new List<(string, MessageStatus, string, string)>();
            if (!document.RootElement.TryGetProperty("entry", out var entries))
            {
                return result;
            }
            foreach (var entry in entries.EnumerateArray())
            {
                if (!entry.TryGetProperty("changes", out var changes))
                {
                    continue;
                }
                foreach (var change in changes.EnumerateArray())
                {
                    if (!change.TryGetProperty("value", out var value) || !value.TryGetProperty("statuses", out var statuses))
                    {
                        continue;
                    }
                    foreach (var status in statuses.EnumerateArray())
                    {
                        var id = status.GetProperty("id").GetString() ?? "";
                        MessageStatus? mapped = status.GetProperty("status").GetString() switch
                        {
                            "sent" => MessageStatus.Sent,
                            "delivered" => MessageStatus.Delivered,
                            "read" => MessageStatus.Read,
                            "failed" => MessageStatus.Failed,
                            _ => null,
                        };
                        var detail = status.TryGetProperty("errors", out var errors) ? errors.ToString() : "";
                        var ours = status.TryGetProperty("biz_opaque_callback_data", out var opaque) ? opaque.GetString() ?? "" : "";
                        if (mapped is { } s && id.Length > 0)
                        {
                            result.Add((id, s, detail.Length > 500 ? detail[..500] : detail, ours));
                        }
                    }
                }
            }
            return result;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
