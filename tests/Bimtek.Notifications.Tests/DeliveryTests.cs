using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Bimtek.Notifications.Tests;

[Trait("Category", "Integration")]
public sealed class DeliveryTests
{
    private static ReceiveEventRequest Kit(string trainee, string dispatchId, string? requestId = null) => new()
    {
        RequestId = requestId ?? NotificationsHarness.NewId(),
        ProgrammeId = "ppe-2020",
        KitDispatched = new KitDispatched { DispatchId = dispatchId, TraineeSubject = trainee, ProductName = "APD" },
    };

    private static ReceiveEventRequest SentBack(string trainee, string reportId, bool rework, string reason) => new()
    {
        RequestId = NotificationsHarness.NewId(),
        ProgrammeId = "ppe-2020",
        OutputSentBack = new OutputSentBack { ReportId = reportId, TraineeSubject = trainee, Rework = rework, Reason = reason, Units = 3 },
    };

    [Theory, BothDatabases]
    public async Task Whatsapp_gets_the_template_message_the_cloud_api_documents_in_the_persons_language(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-wa");
        await h.SetContactAsync("t-ani", phone: "0812-3456-7890", language: Language.English);
        await h.Service.ReceiveEventAsync(SentBack("t-ani", "r1", rework: true, "seams open at the shoulder"));

        var message = await h.EventuallyStatusAsync("t-ani", DeliveryStatus.Sent);
        var request = Assert.Single(h.WhatsApp.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v21.0/{NotificationsHarness.PhoneNumberId}/messages", request.Path);
        Assert.Equal($"Bearer {NotificationsHarness.AccessToken}", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("whatsapp", root.GetProperty("messaging_product").GetString());
        Assert.Equal("6281234567890", root.GetProperty("to").GetString());
        Assert.Equal("template", root.GetProperty("type").GetString());
        var template = root.GetProperty("template");
        Assert.Equal("bimtek_notice", template.GetProperty("name").GetString());
        Assert.Equal("en", template.GetProperty("language").GetProperty("code").GetString());
        var parameter = template.GetProperty("components")[0].GetProperty("parameters")[0];
        Assert.Equal("text", parameter.GetProperty("type").GetString());
        Assert.Equal("Bimtek: the output report of t-ani (3 units) was sent back for rework. Reason: seams open at the shoulder", parameter.GetProperty("text").GetString());

        Assert.Equal(Channel.Whatsapp, message.Channel);
        Assert.StartsWith("wamid.", message.ProviderMessageId, StringComparison.Ordinal);
        Assert.Equal(parameter.GetProperty("text").GetString(), message.Text);
        Assert.Empty(h.Sms.Requests);
    }

    [Theory, BothDatabases]
    public async Task The_same_event_redelivered_and_the_same_fact_again_are_sent_once(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-dedupe");
        await h.SetContactAsync("t-budi", phone: "081234567891");
        var first = Kit("t-budi", "dispatch-1");
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => h.Service.ReceiveEventAsync(first).ResponseAsync));
        Assert.Single(answers, a => !a.Duplicate);
        Assert.Equal(1, answers.Sum(a => a.MessagesQueued));
        // Another outbox message carrying the same dispatch (the sender retried with a new id): no second message.
        var again = await h.Service.ReceiveEventAsync(Kit("t-budi", "dispatch-1"));
        Assert.False(again.Duplicate);
        Assert.Equal(0, again.MessagesQueued);

        await h.EventuallyStatusAsync("t-budi", DeliveryStatus.Sent);
        // After a restart the relay rescans: still one.
        await h.RestartAsync();
        await h.Service.ReceiveEventAsync(first);
        await Task.Delay(500);
        Assert.Single(h.WhatsApp.Requests);
        Assert.Single(await h.MessagesAsync("t-budi"));
        Assert.Contains("kit bahan APD untuk t-budi sudah dikirim", h.WhatsApp.Requests[0].Text, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task A_provider_answering_429_is_retried_and_one_answering_5xx_falls_back_to_sms(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-fallback");
        await h.SetContactAsync("t-citra", phone: "081234567892");
        var calls = 0;
        h.WhatsApp.Respond = _ => Interlocked.Increment(ref calls) == 1
            ? (429, "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"code\":130429}}", new Dictionary<string, string> { ["Retry-After"] = "0" })
            : (200, "{\"messages\":[{\"id\":\"wamid.second\"}]}", null);
        await h.Service.ReceiveEventAsync(Kit("t-citra", "dispatch-2"));
        var retried = await h.EventuallyStatusAsync("t-citra", DeliveryStatus.Sent);
        Assert.Equal(2, h.WhatsApp.Requests.Count);
        Assert.Equal(("wamid.second", Channel.Whatsapp, 2), (retried.ProviderMessageId, retried.Channel, retried.Attempts));

        h.WhatsApp.Respond = _ => (503, "{\"error\":{\"message\":\"Service temporarily unavailable\",\"code\":2}}", null);
        await h.Service.ReceiveEventAsync(SentBack("t-citra", "r2", rework: false, "stitching below standard"));
        var fellBack = await h.EventuallyMessageAsync("t-citra", m => m.Template == "output_rejected" && m.Status == DeliveryStatus.Sent, "fallback to SMS");
        Assert.Equal(2 + 3, h.WhatsApp.Requests.Count); // three tries (TriesPerChannel) before falling back
        Assert.Equal(Channel.Sms, fellBack.Channel);
        Assert.Equal(4, fellBack.Attempts);
        var sms = Assert.Single(h.Sms.Requests);
        Assert.Equal("/messages", sms.Path);
        Assert.Equal($"Bearer {NotificationsHarness.SmsKey}", sms.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sms.Body);
        Assert.Equal("+6281234567892", body.RootElement.GetProperty("to").GetString());
        Assert.Equal(fellBack.MessageId, body.RootElement.GetProperty("reference").GetString());
        Assert.Equal("Bimtek: laporan hasil t-citra (3 unit) ditolak. Alasan: stitching below standard", body.RootElement.GetProperty("text").GetString());
    }

    [Theory, BothDatabases]
    public async Task Every_channel_failing_leaves_the_message_failed_and_the_relay_retries_it(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-retry");
        await h.SetContactAsync("t-dewi", phone: "081234567893");
        h.WhatsApp.Respond = _ => (500, "{}", null);
        h.Sms.Respond = _ => (502, "{}", null);
        await h.Service.ReceiveEventAsync(Kit("t-dewi", "dispatch-3"));
        var failed = await h.EventuallyStatusAsync("t-dewi", DeliveryStatus.Failed);
        Assert.Contains("Sms: HTTP 502", failed.LastError, StringComparison.Ordinal);
        h.Sms.Respond = _ => (200, "{\"id\":\"sms-late\"}", null);
        var sent = await h.EventuallyStatusAsync("t-dewi", DeliveryStatus.Sent);
        Assert.Equal("sms-late", sent.ProviderMessageId);
    }

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    [Theory, BothDatabases]
    public async Task A_status_callback_is_applied_only_with_the_apps_signature(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-callback");
        await h.SetContactAsync("t-eka", phone: "081234567894");
        await h.Service.ReceiveEventAsync(Kit("t-eka", "dispatch-4"));
        var sent = await h.EventuallyStatusAsync("t-eka", DeliveryStatus.Sent);
        var body = $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","statuses":[{"id":"{{{sent.ProviderMessageId}}}","status":"delivered","timestamp":"1591000000","recipient_id":"6281234567894"}]}}]}]}""";
        using var http = h.Host.CreateHttpClient();

        async Task<System.Net.HttpStatusCode> PostAsync(string? signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/callbacks/whatsapp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (signature is not null)
            {
                request.Headers.Add("X-Hub-Signature-256", signature);
            }
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(Sign(body, "someone-elses-secret")));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await PostAsync(null));
        Assert.Equal(DeliveryStatus.Sent, (await h.MessagesAsync("t-eka")).Single().Status);
        Assert.Equal(System.Net.HttpStatusCode.OK, await PostAsync(Sign(body, NotificationsHarness.AppSecret)));
        Assert.Equal(DeliveryStatus.Delivered, (await h.MessagesAsync("t-eka")).Single().Status);
    }

    [Theory, BothDatabases]
    public async Task Email_goes_through_smtp_and_web_push_carries_a_valid_vapid_signature(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-email-push");
        await h.SetContactAsync("he-fitri", email: "fitri@puskesmas-amuntai.example", preferred: Channel.Email, language: Language.English);
        await h.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            InvitationIssued = new InvitationIssued { Subject = "he-fitri", Url = "http://127.0.0.1:5116/account/invitation?u=he-fitri&t=secret", ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(2)) },
        });
        var mailMessage = await h.EventuallyStatusAsync("he-fitri", DeliveryStatus.Sent);
        var mail = Assert.Single(h.Smtp.Mails);
        Assert.Equal("bimtek@disperindagkop-hsu.example", mail.From);
        Assert.Equal(["fitri@puskesmas-amuntai.example"], mail.To);
        Assert.Contains("Subject: Your Bimtek account", mail.Data, StringComparison.Ordinal);
        Assert.Contains("account/invitation?u=he-fitri&t=secret", mail.Data, StringComparison.Ordinal);
        Assert.Equal(Channel.Email, mailMessage.Channel);
        // The log keeps no usable link once it was sent.
        Assert.DoesNotContain("t=secret", mailMessage.Text, StringComparison.Ordinal);

        using var client = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = client.ExportParameters(false).Q;
        await h.SetContactAsync("t-gita", preferred: Channel.WebPush, change: c =>
        {
            c.PushEndpoint = h.Push.BaseUrl + "/push/subscription-1";
            c.PushP256Dh = Base64Url.EncodeToString([0x04, .. q.X!, .. q.Y!]);
            c.PushAuth = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        });
        await h.Service.ReceiveEventAsync(Kit("t-gita", "dispatch-5"));
        var pushed = await h.EventuallyStatusAsync("t-gita", DeliveryStatus.Sent);
        Assert.Equal(Channel.WebPush, pushed.Channel);
        var push = Assert.Single(h.Push.Requests);
        Assert.Equal("/push/subscription-1", push.Path);
        Assert.Equal("aes128gcm", push.Headers["Content-Encoding"]);
        Assert.True(int.Parse(push.Headers["TTL"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(push.Body.Length > 86, "the payload is encrypted (RFC 8291 header + ciphertext)");
        Assert.DoesNotContain("dispatch", Encoding.UTF8.GetString(push.Body), StringComparison.Ordinal);
        // aud: Lib.Net.Http.WebPush writes scheme://host without the port; real push services listen on 443, where that is the origin.
        var endpoint = new Uri(h.Push.BaseUrl);
        VapidCheck.Verify(push.Headers["Authorization"], h.VapidPublicKey, $"{endpoint.Scheme}://{endpoint.Host}");
    }

    [Theory, BothDatabases]
    public async Task A_refused_smtp_recipient_without_other_channels_fails_and_opt_out_suppresses(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-refused");
        h.Smtp.RejectRecipients = true;
        await h.SetContactAsync("he-hana", email: "nobody@puskesmas-amuntai.example");
        await h.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            InspectionAwaitingSignOff = new InspectionAwaitingSignOff { InspectionId = "insp-1", HealthExpertSubjects = { "he-hana" }, Units = 9 },
        });
        // Batched until the hour ends; queued meanwhile.
        var queued = Assert.Single(await h.MessagesAsync("he-hana"));
        Assert.Equal(DeliveryStatus.Queued, queued.Status);
        Assert.True(queued.NotBefore.ToDateTimeOffset() > DateTimeOffset.UtcNow);

        await h.SetContactAsync("t-indah", phone: "081234567895", change: c => c.OptedOut = true);
        await h.Service.ReceiveEventAsync(Kit("t-indah", "dispatch-6"));
        var suppressed = await h.EventuallyStatusAsync("t-indah", DeliveryStatus.Suppressed);
        Assert.Equal("opted out", suppressed.LastError);
        Assert.Empty(h.WhatsApp.Requests);
    }

    [Theory, BothDatabases]
    public async Task Contacts_store_e164_refuse_bad_numbers_and_people_see_only_their_own_messages(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-access");
        var stored = await h.SetContactAsync("t-joko", phone: "0812-3456-7896");
        Assert.Equal("+6281234567896", stored.Phone);
        var bad = await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => h.SetContactAsync("t-joko", phone: "0812"));
        Assert.Equal("INVALID_PHONE", NotificationsHarness.Reason(bad));
        Assert.Equal("+6281234567896", (await h.Person("t-joko").GetContactAsync(new GetContactRequest { Subject = "t-joko" })).Phone);

        await h.Service.ReceiveEventAsync(Kit("t-joko", "dispatch-7"));
        Assert.Single((await h.Person("t-joko").ListMessagesAsync(new ListMessagesRequest { Subject = "t-joko" })).Messages);
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.Person("t-other").ListMessagesAsync(new ListMessagesRequest { Subject = "t-joko" }).ResponseAsync);
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.Person("t-other").GetContactAsync(new GetContactRequest { Subject = "t-joko" }).ResponseAsync);
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.InternalAs(TestTokens.Operator()).ReceiveEventAsync(Kit("t-joko", "dispatch-8")).ResponseAsync);
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.Person("t-joko").SetContactAsync(new SetContactRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Contact = new Contact { Subject = "t-joko", OptedOut = true },
        }).ResponseAsync);
        var missing = await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => h.Service.ReceiveEventAsync(new ReceiveEventRequest { RequestId = NotificationsHarness.NewId() }).ResponseAsync);
        Assert.Equal("FIELD_REQUIRED", NotificationsHarness.Reason(missing));
    }

    [Theory, BothDatabases]
    public async Task A_sign_in_code_for_a_trainee_without_contact_goes_to_the_phone_it_names(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-code");
        await h.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            SignInCodeIssued = new SignInCodeIssued { Subject = "t-kiki", Code = "4827-1936", Url = "http://127.0.0.1:5116/account/code?u=t-kiki&c=4827-1936", Phone = "0812-3456-7897", ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(15)) },
        });
        var sent = await h.EventuallyStatusAsync("t-kiki", DeliveryStatus.Sent);
        var request = Assert.Single(h.WhatsApp.Requests);
        Assert.Contains("\"to\":\"6281234567897\"", request.Text, StringComparison.Ordinal);
        Assert.Contains("4827-1936", request.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("4827-1936", sent.Text, StringComparison.Ordinal);
    }
}

/// <summary>Checks a VAPID <c>Authorization: vapid t=&lt;JWT&gt;, k=&lt;key&gt;</c> header as a push service does (RFC 8292).</summary>
internal static class VapidCheck
{
    public static void Verify(string header, string publicKey, string audience)
    {
        Assert.StartsWith("vapid ", header, StringComparison.Ordinal);
        var parts = header["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(publicKey, parts["k"]);
        var token = parts["t"].Split('.');
        Assert.Equal(3, token.Length);
        using var header0 = JsonDocument.Parse(Base64Url.DecodeFromChars(token[0]));
        Assert.Equal("ES256", header0.RootElement.GetProperty("alg").GetString());
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(token[1]));
        Assert.Equal(audience, claims.RootElement.GetProperty("aud").GetString());
        Assert.True(claims.RootElement.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.StartsWith("mailto:", claims.RootElement.GetProperty("sub").GetString(), StringComparison.Ordinal);
        var point = Base64Url.DecodeFromChars(publicKey);
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes($"{token[0]}.{token[1]}"), Base64Url.DecodeFromChars(token[2]), HashAlgorithmName.SHA256),
            "the VAPID JWT is signed with the configured key");
    }
}
