using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Microsoft.AspNetCore.DataProtection;

namespace Bimtek.Notifications.Application;

/// <summary>
/// Integrators' webhooks: registering one (its secret made here, shown once, stored encrypted with the service's
/// data-protection key ring — HMAC needs the secret itself, so a hash would not do), and giving each integrator
/// event to the subscribed webhooks as deliveries, in the transaction that applies the event: one delivery row per
/// event and webhook (the pair is unique, so a redelivered event is not delivered twice) and one outbox row of this
/// service per delivery, which <see cref="WebhookDeliverer"/> sends with the relay's retries and back-off.
/// </summary>
public sealed class Webhooks(Database database, OutboxWriter outbox, IDataProtectionProvider protection, OfficeScope offices, TimeProvider time)
{
    public const string DeliverDestination = "notifications.webhook";
    private const string Purpose = "Bimtek.Notifications.WebhookSecret.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>
    /// Registers the webhook for the caller's office. The create request_id is the webhook's unique key (insert first):
    /// the same id again returns the same webhook and secret (decrypted), the same id with another URL or types is refused.
    /// </summary>
    internal async Task<CreatedWebhook> CreateAsync(CreateWebhookRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var kinds = string.Join(",", request.EventTypes.Select(t => (int)t).Distinct().Order());
        var url = request.Url.Trim();
        // Data protection reads (and may first write) its key ring in this database: never inside a transaction.
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var candidate = new WebhookRow
        {
            WebhookId = Guid.CreateVersion7().ToString(),
            CreateRequestId = request.RequestId,
            Url = url,
            EventTypes = kinds,
            Office = offices.Resolve(caller.Office),
            CreatedBy = caller.Subject,
            SecretProtected = _protector.Protect(secret),
            CreatedAt = time.NowMs(),
        };
        var (row, inserted) = await database.InTransactionAsync(async session =>
            await WebhookStore.TryInsertAsync(session, candidate)
                ? (candidate, true)
                : (await WebhookStore.FindByRequestAsync(session, request.RequestId) ?? throw new InvalidOperationException("The webhook vanished."), false),
            cancellationToken);
        if (!inserted)
        {
            if (row.Url != url || row.EventTypes != kinds || row.CreatedBy != caller.Subject)
            {
                throw new ValidationException([new FieldViolation("request_id", "was used for another request")], ErrorReasons.RequestIdReused);
            }
            secret = _protector.Unprotect(row.SecretProtected);
        }
        return new CreatedWebhook(row, secret);
    }

    /// <summary>The secret of a webhook, for signing.</summary>
    public string SecretOf(WebhookRow row) => _protector.Unprotect(row.SecretProtected);

    /// <summary>Within the event's transaction: one delivery (and one send row) per subscribed webhook; returns how many.</summary>
    public async Task<int> FanOutAsync(DbSession session, string eventId, IntegratorEvent e, string programmeId, DateTimeOffset occurredAt)
    {
        var body = WebhookEvents.Body(eventId, e, programmeId, occurredAt);
        var now = time.NowMs();
        var count = 0;
        foreach (var webhook in await WebhookStore.SubscribedAsync(session, (int)e.Kind))
        {
            var delivery = new WebhookDeliveryRow
            {
                DeliveryId = Guid.CreateVersion7().ToString(),
                WebhookId = webhook.WebhookId,
                EventId = eventId,
                EventType = (int)e.Kind,
                ProgrammeId = programmeId,
                Body = body,
                Status = WebhookStore.Pending,
                CreatedAt = now,
            };
            if (await WebhookStore.TryInsertDeliveryAsync(session, delivery))
            {
                await outbox.EnqueueAsync(session, DeliverDestination, new DeliverWebhookRequest { DeliveryId = delivery.DeliveryId });
                count++;
            }
        }
        return count;
    }
}

/// <summary>A webhook just registered (or the one its request_id registered before) and its secret, shown once.</summary>
internal sealed record CreatedWebhook(WebhookRow Webhook, string Secret);

/// <summary>
/// Sends one webhook delivery (called by this service's outbox relay): a delivery no longer pending is done; a
/// disabled webhook drops it; an event of a programme outside the webhook's office is skipped. Otherwise one signed
/// POST (<see cref="WebhookSignature"/>: a fresh timestamp per attempt), every attempt recorded; a 2xx marks it
/// delivered, anything else throws so the relay retries with its back-off (and parks it after <c>Outbox:MaxAttempts</c>).
/// A crash between the receiver's 2xx and our record sends it again: receivers de-duplicate on <c>Bimtek-Webhook-Id</c>.
/// </summary>
public sealed partial class WebhookDeliverer(
    HttpClient http,
    WebhookStore store,
    Webhooks webhooks,
    IProgrammeOffices programmes,
    OfficeScope offices,
    TimeProvider time,
    ILogger<WebhookDeliverer> logger)
{
    public async Task DeliverAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await store.FindDeliveryAsync(deliveryId, cancellationToken);
        if (delivery is null || delivery.Status != WebhookStore.Pending)
        {
            return;
        }
        var webhook = await store.FindAsync(delivery.WebhookId, cancellationToken);
        if (webhook is null || webhook.Disabled != 0)
        {
            await store.FinishAsync(deliveryId, WebhookStore.Dropped, null);
            return;
        }
        if (delivery.ProgrammeId.Length > 0 && !offices.Covers(webhook.Office, await programmes.OfficeOfAsync(delivery.ProgrammeId, cancellationToken)))
        {
            await store.FinishAsync(deliveryId, WebhookStore.Skipped, null);
            return;
        }
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdHeader, delivery.DeliveryId);
        request.Headers.Add(WebhookSignature.EventHeader, WebhookEvents.Name((WebhookEventKind)delivery.EventType));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(webhooks.SecretOf(webhook), timestamp, body));
        int status;
        string detail;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            detail = text.Length > 300 ? text[..300] : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            status = 0;
            detail = $"{ex.GetType().Name}: {ex.Message}";
        }
        var now = time.NowMs();
        await store.AddAttemptAsync(deliveryId, now, status, detail);
        if (status is >= 200 and < 300)
        {
            await store.FinishAsync(deliveryId, WebhookStore.Delivered, now);
            return;
        }
        LogAttemptFailed(logger, deliveryId, webhook.WebhookId, status, detail);
        throw new WebhookDeliveryFailedException(deliveryId, status, detail);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to {WebhookId} failed: HTTP {Status} {Detail}")]
    private static partial void LogAttemptFailed(ILogger logger, string deliveryId, string webhookId, int status, string detail);
}

/// <summary>The receiver did not answer 2xx; the relay retries later.</summary>
public sealed class WebhookDeliveryFailedException(string deliveryId, int status, string detail)
    : Exception($"Webhook delivery {deliveryId}: HTTP {status} {detail}");
