using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// Signed delivery callbacks of the SMS provider (Twilio's scheme) and the e-mail provider (the generic signed
/// webhook): a wrong, missing or stale signature is refused with 401 and changes nothing; a valid one moves the
/// message's status forward.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CallbackTests
{
    private const string SmsToken = "test-sms-callback-token";
    private const string EmailSecret = "test-email-callback-secret";
    private const string SmsCallbackUrl = "https://bimtek.example/notifications/callbacks/sms?office=hsu";

    private static Task<NotificationsHarness> StartAsync(DatabaseKind db, string name) => NotificationsHarness.StartAsync(db, name, configuration: new Dictionary<string, string?>
    {
        ["Notifications:Sms:CallbackAuthToken"] = SmsToken,
        ["Notifications:Sms:CallbackUrl"] = SmsCallbackUrl,
        ["Notifications:Email:CallbackSecret"] = EmailSecret,
    });

    private static ReceiveEventRequest Kit(string trainee, string dispatchId) => new()
    {
        RequestId = NotificationsHarness.NewId(),
        ProgrammeId = "ppe-2020",
        KitDispatched = new KitDispatched { DispatchId = dispatchId, TraineeSubject = trainee, ProductName = "APD" },
    };

    /// <summary>Twilio's documented algorithm, written out here: base64(HMAC-SHA1(token, url + each field name+value sorted by name)).</summary>
    private static string TwilioSignature(string token, string url, IReadOnlyDictionary<string, string> form)
    {
        var data = url + string.Concat(form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + f.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data)));
    }

    [Theory, BothDatabases]
    public async Task An_sms_status_callback_is_applied_only_with_twilios_signature_over_the_configured_url(DatabaseKind db)
    {
        await using var h = await StartAsync(db, "notify-sms-callback");
        await h.SetContactAsync("t-lina", phone: "081234567870", preferred: Channel.Sms);
        await h.Service.ReceiveEventAsync(Kit("t-lina", "d-lina"));
        var sent = await h.EventuallyStatusAsync("t-lina", DeliveryStatus.Sent);
        Assert.Equal(Channel.Sms, sent.Channel);
        using var http = h.Host.CreateHttpClient();
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = sent.ProviderMessageId,
            ["MessageStatus"] = "delivered",
            ["AccountSid"] = "AC0000",
            ["To"] = "+6281234567870",
        };

        async Task<HttpStatusCode> PostAsync(string? signature, IReadOnlyDictionary<string, string>? fields = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/callbacks/sms") { Content = new FormUrlEncodedContent(fields ?? form) };
            if (signature is not null)
            {
                request.Headers.Add("X-Twilio-Signature", signature);
            }
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(TwilioSignature("someone-elses-token", SmsCallbackUrl, form)));
        // Signed over the URL as it arrived here instead of the one the provider was given: refused.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(TwilioSignature(SmsToken, "http://localhost/callbacks/sms", form)));
        // A field changed after signing: refused.
        var altered = new Dictionary<string, string>(form) { ["MessageStatus"] = "failed" };
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(TwilioSignature(SmsToken, SmsCallbackUrl, form), altered));
        Assert.Equal(DeliveryStatus.Sent, (await h.MessagesAsync("t-lina")).Single().Status);

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(TwilioSignature(SmsToken, SmsCallbackUrl, form)));
        Assert.Equal(DeliveryStatus.Delivered, (await h.MessagesAsync("t-lina")).Single().Status);
        // Statuses only move forward: a late "sent" changes nothing.
        var late = new Dictionary<string, string>(form) { ["MessageStatus"] = "sent" };
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(TwilioSignature(SmsToken, SmsCallbackUrl, late), late));
        Assert.Equal(DeliveryStatus.Delivered, (await h.MessagesAsync("t-lina")).Single().Status);
        var undelivered = new Dictionary<string, string>(form) { ["MessageStatus"] = "undelivered", ["ErrorCode"] = "30003" };
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(TwilioSignature(SmsToken, SmsCallbackUrl, undelivered), undelivered));
        var failed = (await h.MessagesAsync("t-lina")).Single();
        Assert.Equal((DeliveryStatus.Failed, "SMS error 30003"), (failed.Status, failed.LastError));
    }

    [Theory, BothDatabases]
    public async Task An_email_event_is_applied_only_when_signed_and_fresh(DatabaseKind db)
    {
        await using var h = await StartAsync(db, "notify-email-callback");
        await h.SetContactAsync("he-maya", email: "maya@puskesmas-amuntai.example", preferred: Channel.Email);
        await h.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = "ppe-2020",
            OutputSentBack = new OutputSentBack { ReportId = "r-maya", TraineeSubject = "he-maya", Rework = true, Reason = "seams", Units = 2 },
        });
        var sent = await h.EventuallyStatusAsync("he-maya", DeliveryStatus.Sent);
        Assert.Equal(Channel.Email, sent.Channel);
        Assert.EndsWith("@bimtek", sent.ProviderMessageId, StringComparison.Ordinal);
        using var http = h.Host.CreateHttpClient();

        async Task<HttpStatusCode> PostAsync(string body, string secret, DateTimeOffset at, bool sign = true)
        {
            var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/callbacks/email") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Bimtek-Timestamp", timestamp);
            if (sign)
            {
                request.Headers.Add("X-Bimtek-Signature",
                    "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))));
            }
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var delivered = $$"""{"events":[{"message_id":"<{{sent.ProviderMessageId}}>","event":"delivered"}]}""";
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(delivered, EmailSecret, DateTimeOffset.UtcNow, sign: false));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(delivered, "someone-elses-secret", DateTimeOffset.UtcNow));
        // A capture replayed ten minutes later: refused although the signature is right.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(delivered, EmailSecret, DateTimeOffset.UtcNow.AddMinutes(-10)));
        Assert.Equal(DeliveryStatus.Sent, (await h.MessagesAsync("he-maya")).Single().Status);

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(delivered, EmailSecret, DateTimeOffset.UtcNow));
        Assert.Equal(DeliveryStatus.Delivered, (await h.MessagesAsync("he-maya")).Single().Status);
        var opened = $$"""{"events":[{"message_id":"{{sent.ProviderMessageId}}","event":"opened"}]}""";
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(opened, EmailSecret, DateTimeOffset.UtcNow));
        Assert.Equal(DeliveryStatus.Read, (await h.MessagesAsync("he-maya")).Single().Status);
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("""{"nothing":1}""", EmailSecret, DateTimeOffset.UtcNow));
    }
}
