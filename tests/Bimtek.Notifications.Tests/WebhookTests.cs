using System.Collections.Concurrent;
using System.Text.Json;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// Integrators' webhooks end to end: an integrator registers a URL, events arrive through ReceiveEvent (as the
/// senders' outboxes deliver them), and a receiver — a local Kestrel that checks every signature and timestamp as
/// the README tells integrators to — sees each event exactly once (de-duplicating on the delivery id), although the
/// notifications service is stopped in the middle of a delivery and started again.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WebhookTests
{
    private const string HomeOffice = "DISPERINDAGKOP-HSU";
    private const string OtherOffice = "DISPERINDAG-HST";

    private static NotificationsService.NotificationsServiceClient Integrator(NotificationsHarness h, string office, string subject = "integrator-bpbd") =>
        h.Host.Client<NotificationsService.NotificationsServiceClient>(TestTokens.Mint(subject, [Roles.Integrator], TimeSpan.FromMinutes(10), office: office));

    private static ReceiveEventRequest HandoverConfirmed(string programme, string handoverId) => new()
    {
        RequestId = NotificationsHarness.NewId(),
        ProgrammeId = programme,
        OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 6, 12, 3, 0, 0, TimeSpan.Zero)),
        HandoverConfirmed = new HandoverConfirmed
        {
            HandoverId = handoverId,
            DocumentNumber = "BAST/2020/06/001",
            RecipientId = "bpbd-hsu",
            RecipientName = "BPBD Hulu Sungai Utara",
            ProductCode = "MASK-SASIRANGAN-3PLY",
            Units = 500,
            ConfirmedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 6, 12, 3, 0, 0, TimeSpan.Zero)),
        },
    };

    private static ReceiveEventRequest QuotaChanged(string programme, string trainee) => new()
    {
        RequestId = NotificationsHarness.NewId(),
        ProgrammeId = programme,
        QuotaChanged = new QuotaChanged { TraineeId = trainee, PreviousQuota = 9, Quota = 8, Reason = "withdrawal" },
    };

    [Theory, BothDatabases]
    public async Task A_receiver_verifies_every_delivery_and_sees_each_event_once_across_a_restart_mid_delivery(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-webhooks", configuration: new Dictionary<string, string?>
        {
            ["Notifications:Webhooks:AllowHttp"] = "true",
            ["Notifications:Webhooks:Timeout"] = "00:00:30",
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var programme = "mask-" + Guid.NewGuid().ToString("N")[..8];
        var elsewhere = "ppe-" + Guid.NewGuid().ToString("N")[..8];
        h.ProgrammeOffices[programme] = HomeOffice;
        h.ProgrammeOffices[elsewhere] = OtherOffice;

        var integrator = Integrator(h, HomeOffice);
        var create = new CreateWebhookRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Url = receiver.Url,
            EventTypes = { WebhookEventType.HandoverConfirmed, WebhookEventType.QuotaChanged },
        };
        var created = await integrator.CreateWebhookAsync(create);
        Assert.Equal(43, created.Secret.Length); // 32 random bytes, base64url
        Assert.Equal((HomeOffice, "integrator-bpbd", false), (created.Webhook.Office, created.Webhook.CreatedBy, created.Webhook.Disabled));
        // A lost answer retried: the same webhook and secret, no second webhook.
        var replay = await integrator.CreateWebhookAsync(create);
        Assert.Equal(created, replay);
        var listed = Assert.Single((await integrator.ListWebhooksAsync(new ListWebhooksRequest())).Webhooks);
        Assert.Equal(created.Webhook, listed);
        // The secret is not kept readable: the stored form is data protection's ciphertext.
        var stored = await StoredSecretAsync(h, created.Webhook.WebhookId);
        Assert.DoesNotContain(created.Secret, stored, StringComparison.Ordinal);
        receiver.Secret = created.Secret;

        // The first delivery is held by the receiver while the service stops; the second fails once with 503.
        receiver.HoldFirst = true;
        receiver.FailFirstOf = "quota.changed";
        var handover = HandoverConfirmed(programme, "ho-1");
        var quota = QuotaChanged(programme, "trainee-ani");
        Assert.Equal(1, (await h.Service.ReceiveEventAsync(handover)).MessagesQueued);
        await receiver.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await h.Service.ReceiveEventAsync(quota)).MessagesQueued);
        // Not subscribed, and another office's programme: no delivery, or a skipped one.
        Assert.Equal(0, (await h.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme,
            ProgrammeCompleted = new ProgrammeCompleted { Code = "MASK-2020", TargetUnits = 500, AcceptedUnits = 500 },
        })).MessagesQueued);
        Assert.Equal(1, (await h.Service.ReceiveEventAsync(QuotaChanged(elsewhere, "trainee-budi"))).MessagesQueued);

        await h.RestartAsync();
        receiver.Release();
        integrator = Integrator(h, HomeOffice); // a client of the new host
        // The same event redelivered by its sender after our restart: applied once.
        Assert.True((await h.Service.ReceiveEventAsync(handover)).Duplicate);

        await NotificationsHarness.EventuallyAsync(() => Task.FromResult(receiver.Processed.Count == 2), "both events processed by the receiver");
        var deliveries = await NotificationsHarness.EventuallyValueAsync(async () =>
        {
            var list = (await integrator.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { WebhookId = created.Webhook.WebhookId })).Deliveries;
            return list.Count == 3 && list.All(d => d.Status != "pending") ? list : null;
        }, "every delivery finished");
        await Task.Delay(500);

        Assert.Empty(receiver.Refused);
        Assert.Equal(new[] { handover.RequestId, quota.RequestId }.Order(), receiver.Processed.Values.Select(p => p.EventId).Order());
        Assert.Equal(2, receiver.Processed.Count);
        var delivered = deliveries.Where(d => d.Status == "delivered").ToList();
        Assert.Equal(2, delivered.Count);
        Assert.Equal("skipped", Assert.Single(deliveries, d => d.Status == "skipped").Status);
        var heldDelivery = delivered.Single(d => d.EventType == WebhookEventType.HandoverConfirmed);
        // The held POST and its repeat after the restart carry the same delivery id, each with its own valid signature.
        Assert.True(receiver.Received.Count(r => r.DeliveryId == heldDelivery.DeliveryId) >= 2, string.Join(" | ", receiver.Received));
        var quotaDelivery = delivered.Single(d => d.EventType == WebhookEventType.QuotaChanged);
        Assert.Equal([503, 200], quotaDelivery.Attempts.Select(a => a.HttpStatus));
        Assert.Equal(200, heldDelivery.Attempts[^1].HttpStatus);

        using var body = JsonDocument.Parse(heldDelivery.Body);
        Assert.Equal("handover.confirmed", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(handover.RequestId, body.RootElement.GetProperty("id").GetString());
        Assert.Equal(programme, body.RootElement.GetProperty("programme_id").GetString());
        Assert.Equal("2020-06-12T03:00:00.0000000+00:00", body.RootElement.GetProperty("occurred_at").GetString());
        Assert.Equal("BAST/2020/06/001", body.RootElement.GetProperty("data").GetProperty("document_number").GetString());
        Assert.Equal(500, body.RootElement.GetProperty("data").GetProperty("units").GetInt32());
        Assert.Equal(heldDelivery.Body, receiver.Processed[heldDelivery.DeliveryId].Body);

        // Disabled: the next event is not delivered.
        var disabled = await integrator.DisableWebhookAsync(new DisableWebhookRequest { RequestId = NotificationsHarness.NewId(), WebhookId = created.Webhook.WebhookId });
        Assert.True(disabled.Disabled);
        Assert.Equal(0, (await h.Service.ReceiveEventAsync(QuotaChanged(programme, "trainee-citra"))).MessagesQueued);
    }

    [Theory, BothDatabases]
    public async Task Webhooks_are_their_offices_https_only_by_default_and_not_for_people(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-webhook-access");
        var integrator = Integrator(h, HomeOffice);
        var plain = await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => integrator.CreateWebhookAsync(new CreateWebhookRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Url = "http://integrator.example/hooks",
            EventTypes = { WebhookEventType.QuotaChanged },
        }).ResponseAsync);
        Assert.Equal("INVALID_VALUE", NotificationsHarness.Reason(plain)); // the field violation's own reason (docs/reasons.md)
        await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => integrator.CreateWebhookAsync(new CreateWebhookRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Url = "https://integrator.example/hooks",
        }).ResponseAsync);
        var createRequestId = NotificationsHarness.NewId();
        var created = await integrator.CreateWebhookAsync(new CreateWebhookRequest
        {
            RequestId = createRequestId,
            Url = "https://integrator.example/hooks",
            EventTypes = { WebhookEventType.QuotaChanged },
        });

        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.Person("t-ani").CreateWebhookAsync(new CreateWebhookRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Url = "https://integrator.example/hooks",
            EventTypes = { WebhookEventType.QuotaChanged },
        }).ResponseAsync);
        var stranger = Integrator(h, OtherOffice, "integrator-hst");
        Assert.Empty((await stranger.ListWebhooksAsync(new ListWebhooksRequest())).Webhooks);
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => stranger.ListWebhookDeliveriesAsync(
            new ListWebhookDeliveriesRequest { WebhookId = created.Webhook.WebhookId }).ResponseAsync);
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => stranger.DisableWebhookAsync(
            new DisableWebhookRequest { RequestId = NotificationsHarness.NewId(), WebhookId = created.Webhook.WebhookId }).ResponseAsync);
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => stranger.ListWebhookDeliveriesAsync(
            new ListWebhookDeliveriesRequest { WebhookId = Guid.NewGuid().ToString() }).ResponseAsync);
        // The same create request_id with another URL: refused.
        var reused = await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => integrator.CreateWebhookAsync(new CreateWebhookRequest
        {
            RequestId = createRequestId,
            Url = "https://integrator.example/other",
            EventTypes = { WebhookEventType.QuotaChanged },
        }).ResponseAsync);
        Assert.Equal("REQUEST_ID_REUSED", NotificationsHarness.Reason(reused));
    }

    [Theory, BothDatabases]
    public async Task A_confirmed_handover_reaches_the_integrators_webhook_through_distributions_outbox(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-webhook-e2e", configuration: new Dictionary<string, string?>
        {
            ["Notifications:Webhooks:AllowHttp"] = "true",
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var created = await Integrator(h, HomeOffice).CreateWebhookAsync(new CreateWebhookRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Url = receiver.Url,
            EventTypes = { WebhookEventType.HandoverConfirmed },
        });
        receiver.Secret = created.Secret;
        using var distributionDatabase = await TestDatabase.CreateAsync(db, "distribution-webhook");
        var link = new NotificationsLink(h);
        await using var distribution = new ServiceHost<Bimtek.Distribution.Program>(distributionDatabase, link.Route(),
            NotificationsLink.Settings(("Distribution:SendNotifications", "true")));
        var service = distribution.Client<Bimtek.Distribution.V1.DistributionInternalService.DistributionInternalServiceClient>(TestTokens.Service("production"));
        var office = distribution.Client<Bimtek.Distribution.V1.DistributionService.DistributionServiceClient>(TestTokens.Operator());
        var programme = Guid.NewGuid().ToString();
        await service.ReceiveAcceptedGoodsAsync(new Bimtek.Distribution.V1.ReceiveAcceptedGoodsRequest
        {
            RequestId = NotificationsHarness.NewId(),
            InspectionId = NotificationsHarness.NewId(),
            ProgrammeId = programme,
            TraineeId = NotificationsHarness.NewId(),
            ProductCode = "MASK-SASIRANGAN-3PLY",
            Units = 500,
            AcceptedAt = Timestamp.FromDateTime(new DateTime(2020, 5, 20, 8, 0, 0, DateTimeKind.Utc)),
        });
        var recipient = await office.CreateRecipientAsync(new Bimtek.Distribution.V1.CreateRecipientRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Kind = Bimtek.Distribution.V1.RecipientKind.DisasterManagementAgency,
            Name = "BPBD Hulu Sungai Utara",
            District = "Hulu Sungai Utara",
            ContactPerson = "Kepala Pelaksana",
            Phone = "0813-5123-4568",
        });
        var handover = await office.CreateHandoverAsync(new Bimtek.Distribution.V1.CreateHandoverRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme,
            ProductCode = "MASK-SASIRANGAN-3PLY",
            ProductName = "masker kain 3 lapis",
            ProgrammeTitle = "Bimtek pembuatan masker kain 3 lapis berbasis sasirangan",
            Units = 500,
            RecipientId = recipient.RecipientId,
            Day = new Google.Type.Date { Year = 2020, Month = 5, Day = 28 },
            Place = "Amuntai",
            Giver = new Bimtek.Common.V1.Signatory { Name = "Kepala Dinas", Position = "Kepala Dinas" },
            Receiver = new Bimtek.Common.V1.Signatory { Name = "Kepala Pelaksana", Position = "Kepala Pelaksana BPBD" },
        });
        Assert.Empty(receiver.Processed);
        var confirm = new Bimtek.Distribution.V1.ConfirmHandoverRequest { RequestId = NotificationsHarness.NewId(), HandoverId = handover.HandoverId };
        await office.ConfirmHandoverAsync(confirm);
        await office.ConfirmHandoverAsync(confirm);

        await NotificationsHarness.EventuallyAsync(() => Task.FromResult(receiver.Processed.Count == 1), "the webhook got handover.confirmed");
        await Task.Delay(800);
        var (_, (eventId, body)) = Assert.Single(receiver.Processed);
        Assert.Single(receiver.Received);
        Assert.Empty(receiver.Refused);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("handover.confirmed", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(programme, json.RootElement.GetProperty("programme_id").GetString());
        Assert.Equal(handover.DocumentNumber, json.RootElement.GetProperty("data").GetProperty("document_number").GetString());
        Assert.Equal(500, json.RootElement.GetProperty("data").GetProperty("units").GetInt32());
        Assert.Equal(eventId, json.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void A_signature_is_checked_over_timestamp_and_body_and_refused_when_stale_or_altered()
    {
        var body = """{"id":"e1","type":"quota.changed"}"""u8.ToArray();
        var now = new DateTimeOffset(2020, 6, 12, 3, 0, 0, TimeSpan.Zero);
        var timestamp = now.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign("secret", timestamp, body);
        // Independent of the implementation: openssl's `printf '%s.%s' ts body | openssl dgst -sha256 -hmac secret`.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("secret"u8.ToArray(),
            System.Text.Encoding.UTF8.GetBytes($"{timestamp}.{System.Text.Encoding.UTF8.GetString(body)}")));
        Assert.Equal("v1=" + expected, signature);
        var ts = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify("secret", ts, signature, body, now.AddMinutes(4)));
        Assert.False(WebhookSignature.Verify("secret", ts, signature, body, now.AddMinutes(6)), "a replay after the tolerance");
        Assert.False(WebhookSignature.Verify("secret", ts, signature, body, now.AddMinutes(-6)), "a timestamp from the future");
        Assert.False(WebhookSignature.Verify("other", ts, signature, body, now));
        Assert.False(WebhookSignature.Verify("secret", (timestamp + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), signature, body, now));
        Assert.False(WebhookSignature.Verify("secret", ts, signature, [.. body, (byte)' '], now));
        Assert.False(WebhookSignature.Verify("secret", "", signature, body, now));
    }

    private static async Task<string> StoredSecretAsync(NotificationsHarness h, string webhookId)
    {
        var database = h.Host.Services.GetRequiredService<Bimtek.Data.Persistence.Database>();
        await using var connection = await database.OpenConnectionAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT secret_protected FROM webhooks WHERE webhook_id = @webhookId", new { webhookId }) ?? "";
    }
}

/// <summary>
/// An integrator's receiver on 127.0.0.1 (a real Kestrel): verifies each POST's signature and timestamp with
/// <see cref="Secret"/> as the README's example does (401 when wrong), then processes each delivery id once.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, int> _failed = new();
    private int _held;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public string Secret { get; set; } = "";

    /// <summary>Hold the first POST until <see cref="Release"/> (the service stops meanwhile).</summary>
    public bool HoldFirst { get; set; }

    /// <summary>Answer 503 to the first POST of this event type.</summary>
    public string FailFirstOf { get; set; } = "";

    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(string DeliveryId, string Timestamp)> Received { get; } = new();

    public ConcurrentQueue<string> Refused { get; } = new();

    public ConcurrentDictionary<string, (string EventId, string Body)> Processed { get; } = new();

    public void Release() => _release.TrySetResult();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/bimtek", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/hooks/bimtek";
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var id = request.Headers[WebhookSignature.IdHeader].ToString();
        var timestamp = request.Headers[WebhookSignature.TimestampHeader].ToString();
        if (!WebhookSignature.Verify(Secret, timestamp, request.Headers[WebhookSignature.SignatureHeader].ToString(), body, DateTimeOffset.UtcNow))
        {
            Refused.Enqueue(id);
            return Results.Unauthorized();
        }
        Received.Enqueue((id, timestamp));
        if (HoldFirst && Interlocked.Exchange(ref _held, 1) == 0)
        {
            Held.TrySetResult();
            await _release.Task;
        }
        if (request.Headers[WebhookSignature.EventHeader] == FailFirstOf && _failed.TryAdd(id, 1))
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        using var json = JsonDocument.Parse(body);
        Processed.TryAdd(id, (json.RootElement.GetProperty("id").GetString() ?? "", System.Text.Encoding.UTF8.GetString(body)));
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
    }
}
