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
/// wrong signature is refused with 401 and changes nothing.
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
                foreach (var (id, status, detail) in updates)
                {
                    await MessageStore.ApplyProviderStatusAsync(s, id, status, detail);
                }
            }, request.HttpContext.RequestAborted);
            return Results.Ok();
        }).AllowAnonymous();
        return endpoints;
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

    private static List<(string Id, MessageStatus Status, string Detail)>? ReadStatuses(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var result = new List<(string, MessageStatus, string)>();
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
                        if (mapped is { } s && id.Length > 0)
                        {
                            result.Add((id, s, detail.Length > 500 ? detail[..500] : detail));
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
