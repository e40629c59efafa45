using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Bimtek.Scenarios.Rest;
using Bimtek.Suite;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>
/// The dashboard's notifications pages in headless chromium: an operator finds a message that did not go out among a
/// programme's failed deliveries, opens the person's messages, gives the person a phone number, resends, and sees the
/// new attempt (SMS, sent) on the person's page. Notifications runs with a real SMS channel here (restarted with the
/// dev outbox off and its SMS gateway pointed at a stand-in in this test), and is put back as it was afterwards.
/// </summary>
public sealed partial class DashboardTests
{
    [Fact]
    public async Task An_operator_finds_a_failed_delivery_resends_it_and_sees_the_new_attempt_on_the_persons_messages()
    {
        Output();
        using var sms = SmsGatewayStandIn.Start();
        var suite = fixture.Suite;
        suite.Restart("notifications", new Dictionary<string, string>
        {
            ["Notifications__DevOutbox"] = "false",
            ["Notifications__Sms__BaseUrl"] = sms.BaseUrl,
            ["Notifications__Sms__ApiKey"] = "dashboard-test-sms-key",
            // The test runs on the real clock: keep the programme's quiet hours (Asia/Makassar) away from now, or at
            // night the message would wait for the morning instead of showing as undelivered.
            ["Notifications__QuietFrom"] = QuietHourFromNow(2),
            ["Notifications__QuietUntil"] = QuietHourFromNow(3),
        });
        try
        {
            await suite.WaitReadyAsync(TimeSpan.FromSeconds(180), new TestOutputWriter(output), "notifications");
            await FailedDeliveryResentAsync(sms);
        }
        finally
        {
            suite.Restart("notifications", new Dictionary<string, string> { ["Notifications__DevOutbox"] = "true" });
            await suite.WaitReadyAsync(TimeSpan.FromSeconds(180), new TestOutputWriter(output), "notifications");
        }
    }

    private async Task FailedDeliveryResentAsync(SmsGatewayStandIn sms)
    {
        using var http = fixture.Suite.CreateGatewayClient();
        var api = new SuiteApi(new RestClient(http, new TestOutputWriter(output)));
        var programme = await api.GetProgrammeAsync(fixture.OwnProgrammeId, CancellationToken.None);
        var instructorId = programme.Array("staff").Single(s => s.Str("role") == "STAFF_ROLE_INSTRUCTOR").Str("personId");
        var trainee = fixture.TraineeA;
        // A home visit booked for the trainee, who has no phone or e-mail: the message cannot go out (not sent).
        var help = await api.OpenAssistanceRequestAsync(fixture.OwnProgrammeId, trainee.PersonId, "", "menjahit tali masker",
            "Tali masker selalu lepas; mohon dibimbing.", CancellationToken.None);
        var wita = TimeZoneInfo.FindSystemTimeZoneById("Asia/Makassar");
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, wita).DateTime).AddDays(1);
        await api.ScheduleHomeVisitAsync(help.Str("assistanceRequestId"), instructorId, tomorrow, "Desa Sungai Karias RT 03", CancellationToken.None);

        var page = await fixture.NewPageAsync();
        await fixture.SignInAsOperatorAsync(page);
        // The programme's page lists it among the messages not delivered (reloaded until notifications has planned it).
        var failed = page.Locator($"ul.failed-deliveries li[data-status='DELIVERY_STATUS_SUPPRESSED']:has-text('{trainee.PersonId}'):has-text('kunjungan rumah')");
        await EventuallyOnPageAsync(page, "/#/programmes/" + fixture.OwnProgrammeId, failed, "the trainee's undelivered home-visit message");
        await Assertions.Expect(failed.First).ToContainTextAsync("Tidak dikirim");
        await Assertions.Expect(failed.First).ToContainTextAsync("no usable address");
        var messageId = await failed.First.GetAttributeAsync("data-message-id") ?? "";

        // The person's messages, from the link in the list.
        await failed.First.Locator("a[href^='#/messages/']").ClickAsync();
        var onPersonsPage = page.Locator($"#messages li[data-message-id='{messageId}']");
        await Assertions.Expect(onPersonsPage).ToHaveAttributeAsync("data-status", "DELIVERY_STATUS_SUPPRESSED", new() { Timeout = Timeout });
        await Assertions.Expect(onPersonsPage).ToContainTextAsync("kunjungan rumah");

        // The office adds the trainee's number (participants tells notifications), then resends from the programme's page.
        using var content = JsonContent(new JsonObject { ["requestId"] = Guid.NewGuid().ToString(), ["phone"] = "0812-5101-7788" });
        using (var updated = await http.PostAsync($"/api/v1/people/{trainee.PersonId}:updateContact", content))
        {
            Assert.True(updated.IsSuccessStatusCode, $"updating the contact: {(int)updated.StatusCode} {await updated.Content.ReadAsStringAsync()}");
        }
        await EventuallyAsync(async () => await ContactPhoneAsync(trainee.PersonId) == "+6281251017788", "notifications knows the new number");
        await page.GotoAsync("/#/programmes/" + fixture.OwnProgrammeId);
        var row = page.Locator($"ul.failed-deliveries li[data-message-id='{messageId}']");
        await row.Locator("button.resend").ClickAsync(new() { Timeout = Timeout });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "DELIVERY_STATUS_QUEUED", new() { Timeout = Timeout });
        await Assertions.Expect(row.Locator("[role=status]")).ToContainTextAsync("Dijadwalkan kirim ulang");

        // The person's page shows the new attempt: sent by SMS, once, to the new number.
        await EventuallyOnPageAsync(page, "/#/messages/" + Uri.EscapeDataString(trainee.PersonId),
            page.Locator($"#messages li[data-message-id='{messageId}'][data-status='DELIVERY_STATUS_SENT']"), "the resent message sent");
        var sent = page.Locator($"#messages li[data-message-id='{messageId}']");
        await Assertions.Expect(sent).ToContainTextAsync("Terkirim");
        await Assertions.Expect(sent).ToContainTextAsync("1 kali dikirim ulang");
        await sent.Locator("details summary").ClickAsync();
        await Assertions.Expect(sent.Locator("details ol li")).ToHaveCountAsync(1);
        await Assertions.Expect(sent.Locator("details ol li")).ToContainTextAsync("SMS · sent");
        var request = Assert.Single(sms.Requests, r => r.Contains(messageId, StringComparison.Ordinal));
        using (var body = System.Text.Json.JsonDocument.Parse(request))
        {
            Assert.Equal("+6281251017788", body.RootElement.GetProperty("to").GetString());
        }
        var file = Path.Combine(fixture.ArtifactDirectory, "notifications-resent.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        output.WriteLine($"Screenshot: {file}");
        await page.Context.CloseAsync();
    }

    /// <summary>Loads <paramref name="route"/> again until <paramref name="locator"/> shows (the page reads once per load).</summary>
    private static async Task EventuallyOnPageAsync(IPage page, string route, ILocator locator, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await page.GotoAsync("/#/");
            await page.GotoAsync(route);
            try
            {
                await Assertions.Expect(locator.First).ToBeVisibleAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // not yet: load the page again
            }
            catch (PlaywrightException ex)
            {
                throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}: {ex.Message}");
            }
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(250);
        }
    }

    private async Task<string> ContactPhoneAsync(string subject)
    {
        var file = Path.Combine(fixture.Suite.RootDirectory, "data", "notifications", "notifications.db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT phone FROM contacts WHERE subject = $subject";
        command.Parameters.AddWithValue("$subject", subject);
        return await command.ExecuteScalarAsync() as string ?? "";
    }

    private static StringContent JsonContent(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    /// <summary>The generic SMS gateway notifications documents (<c>POST /messages</c> → <c>{"id"}</c>), on 127.0.0.1; it records each request.</summary>
    private sealed class SmsGatewayStandIn : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<string> _requests = [];

        private SmsGatewayStandIn(int port)
        {
            BaseUrl = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(BaseUrl + "/");
        }

        public string BaseUrl { get; }

        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public static SmsGatewayStandIn Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var standIn = new SmsGatewayStandIn(port);
            standIn._listener.Start();
            _ = standIn.ServeAsync();
            return standIn;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (_requests)
                {
                    _requests.Add(body);
                }
                var ok = context.Request.HttpMethod == "POST" && context.Request.Url?.AbsolutePath == "/messages"
                    && context.Request.Headers["Authorization"] == "Bearer dashboard-test-sms-key";
                context.Response.StatusCode = ok ? 200 : 401;
                context.Response.ContentType = "application/json";
                var answer = System.Text.Encoding.UTF8.GetBytes(ok ? $"{{\"id\":\"sms-{Guid.NewGuid():N}\",\"status\":\"queued\"}}" : "{}");
                await context.Response.OutputStream.WriteAsync(answer);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }

    private static string QuietHourFromNow(int hours) =>
        DateTime.UtcNow.AddHours(8 + hours).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
