using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>
/// The field app (/app/) on a phone against the real suite: people sign in through the identity service (a trainee
/// with the one-time code an operator issued, staff with the password their invitation set), actions queue offline
/// and arrive once each, a lost answer replayed from the queue is counted once, and an instructor's inspection at the
/// home goes through a health expert's sign-off to the trainee's page.
/// </summary>
public sealed partial class DashboardTests
{
    private static readonly SemaphoreSlim _fieldGate = new(1, 1);
    private static FieldProgramme? _field;

    private sealed record FieldPerson(string PersonId, string Name, string Subject);

    /// <summary>A PPE programme (medical: inspections wait for the health expert) with kits at three trainees' homes.</summary>
    private sealed record FieldProgramme(string ProgrammeId, FieldPerson Instructor, FieldPerson HealthExpert, IReadOnlyList<FieldPerson> Trainees,
        IReadOnlyDictionary<string, long> QuantityPerUnit);

    [Fact]
    public async Task Field_app_a_trainee_reports_twice_offline_with_a_photo_and_back_online_each_report_arrives_exactly_once_without_EXIF()
    {
        Output();
        var field = await FieldAsync();
        var trainee = field.Trainees[0];
        var page = await NewPhoneAsync();
        await SignInTraineeAsync(page, trainee);
        await WaitForServiceWorkerAsync(page);
        // Their kit as it reached their home (planned without subjects, as operators plan it: materials learns whose
        // home it is from participants), and what it still makes.
        await Assertions.Expect(page.Locator("#kit-table tbody tr")).ToHaveCountAsync(field.QuantityPerUnit.Count, new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#kit-capacity")).ToHaveTextAsync(new Regex(@"^[1-9][0-9]* "), new() { Timeout = Timeout });
        await Screenshot(page, "field-app-trainee-online.png");

        await page.ClickAsync("nav a[href='#/report']");
        await Assertions.Expect(page.Locator("#report-form")).ToBeVisibleAsync(new() { Timeout = Timeout });
        var photo = await GpsJpeg.CreateAsync(page);
        Assert.True(GpsJpeg.HasExif(photo));
        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(page.Locator("#net.off")).ToBeVisibleAsync();
        foreach (var units in new[] { 2, 3 })
        {
            await page.FillAsync("#report-units", units.ToString(CultureInfo.InvariantCulture));
            await page.FillAsync("#report-note", $"Dibuat di rumah ({units})");
            // A photo from the camera with each report (the input has capture=environment on a phone).
            await page.SetInputFilesAsync("#report-photos", new FilePayload { Name = $"apd-{units}.jpg", MimeType = "image/jpeg", Buffer = photo });
            await Assertions.Expect(page.Locator("#report-form .previews img")).ToHaveCountAsync(1);
            await page.ClickAsync("#report-form button[type=submit]");
            await Assertions.Expect(page.Locator("#report-form .queued")).ToBeVisibleAsync(new() { Timeout = Timeout });
        }
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("2", new() { Timeout = Timeout });
        await Screenshot(page, "field-app-trainee-offline-report.png");
        await page.ClickAsync("nav a[href='#/queue']");
        var items = page.Locator("#queue-list li.queue-item[data-kind=report]");
        await Assertions.Expect(items).ToHaveCountAsync(2, new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#queue-list li[data-status=waiting]")).ToHaveCountAsync(2);
        await Screenshot(page, "field-app-trainee-offline-queue.png");

        // Nothing reached the suite while offline.
        Assert.Empty(await ReportsAsync(field.ProgrammeId, trainee.PersonId));

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#queue-list li[data-status=sent]")).ToHaveCountAsync(2, new() { Timeout = 60_000 });

        // Production: one report each; materials: one consumption per BOM line of each report; the quota grain: 5 made.
        var reports = await ReportsAsync(field.ProgrammeId, trainee.PersonId);
        Assert.Equal([2, 3], reports.Select(r => r.Int("units")).Order());
        var requestIds = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#queue-list li[data-kind=report]')].map(li => li.dataset.requestId)");
        Assert.Equal(2, requestIds.Distinct().Count());
        await AssertConsumedOnceAsync(field, reports);
        // Each report holds its one photo; the suite serves it without EXIF (no GPS of the home), to staff, not to
        // another trainee (403) nor to an anonymous caller (401).
        using var office = fixture.Suite.CreateGatewayClient();
        using var otherTrainee = fixture.TraineeClient(field.Trainees[1].Subject);
        using var anonymous = new HttpClient { BaseAddress = fixture.Suite.GatewayAddress };
        foreach (var report in reports)
        {
            var photoIds = report.Array("photoIds").Select(p => p!.GetValue<string>()).ToList();
            Assert.Single(photoIds);
            using var served = await office.GetAsync("/api/v1/photos/" + photoIds[0]);
            Assert.True(served.IsSuccessStatusCode, $"GET photo: HTTP {(int)served.StatusCode}");
            var bytes = await served.Content.ReadAsByteArrayAsync();
            Assert.StartsWith("image/", served.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            Assert.True(bytes.Length > 100);
            Assert.False(GpsJpeg.HasExif(bytes), "the served photo still carries EXIF");
            using var denied = await otherTrainee.GetAsync("/api/v1/photos/" + photoIds[0]);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            using var nobody = await anonymous.GetAsync("/api/v1/photos/" + photoIds[0]);
            Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
        }
        await WaitForAsync("the quota grain counts 5 produced", async () =>
        {
            var progress = await QuotaProgressAsync(field.ProgrammeId, trainee.PersonId);
            return (progress.Int("produced") == 5, progress.ToJsonString());
        });
        // And stays so: a late replay of either would show here.
        await page.ClickAsync("#send-now");
        await Task.Delay(2000);
        Assert.Equal(2, (await ReportsAsync(field.ProgrammeId, trainee.PersonId)).Count);
        Assert.Equal(5, (await QuotaProgressAsync(field.ProgrammeId, trainee.PersonId)).Int("produced"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Field_app_a_report_whose_answer_was_lost_is_replayed_from_the_queue_and_counted_once()
    {
        Output();
        var field = await FieldAsync();
        var trainee = field.Trainees[1];
        // No service worker here: the page's own requests are what the route below cuts.
        var page = await NewPhoneAsync(ServiceWorkerPolicy.Block);
        await SignInTraineeAsync(page, trainee);
        var applied = 0;
        await page.RouteAsync("**/api/v1/output-reports", async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref applied) == 1)
            {
                // The suite applies the report; the phone never hears the answer.
                var response = await route.FetchAsync();
                output.WriteLine($"First POST reached the suite: HTTP {response.Status}; the answer is dropped");
                await route.AbortAsync("connectionreset");
                return;
            }
            await route.ContinueAsync();
        });
        await page.ClickAsync("nav a[href='#/report']");
        await page.FillAsync("#report-units", "4");
        await page.ClickAsync("#report-form button[type=submit]");
        await Assertions.Expect(page.Locator("#report-form .queued")).ToBeVisibleAsync(new() { Timeout = Timeout });

        await page.ClickAsync("nav a[href='#/queue']");
        var item = page.Locator("#queue-list li[data-kind=report]");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "waiting", new() { Timeout = Timeout });
        // The server has it already.
        await WaitForAsync("the first POST was applied", async () =>
        {
            var reports = await ReportsAsync(field.ProgrammeId, trainee.PersonId);
            return (reports.Count == 1, $"{reports.Count} reports");
        });

        await page.ClickAsync("#send-now");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = Timeout });
        Assert.Equal(2, applied);
        var after = await ReportsAsync(field.ProgrammeId, trainee.PersonId);
        Assert.Single(after);
        Assert.Equal(4, after[0].Int("units"));
        await AssertConsumedOnceAsync(field, after);
        await WaitForAsync("the quota grain counts 4 produced", async () =>
        {
            var progress = await QuotaProgressAsync(field.ProgrammeId, trainee.PersonId);
            return (progress.Int("produced") == 4, progress.ToJsonString());
        });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Field_app_an_instructor_inspects_at_the_home_a_health_expert_signs_off_and_the_trainee_page_updates()
    {
        Output();
        var field = await FieldAsync();
        var trainee = field.Trainees[2];
        using var http = fixture.Suite.CreateGatewayClient();
        var api = new SuiteApi(new RestClient(http, new TestOutputWriter(output)));
        var today = ProgrammeToday();
        await api.ReportOutputAsync(field.ProgrammeId, trainee.PersonId, Ppe2020.ProductCode, today, 2, CancellationToken.None);

        // The trainee's page, open on their phone: nothing accepted yet.
        var phone = await NewPhoneAsync();
        await SignInTraineeAsync(phone, trainee);
        await Assertions.Expect(phone.Locator("#my-accepted")).ToHaveTextAsync("0", new() { Timeout = Timeout });

        // The instructor at the home: behind-schedule trainees first, the trainee's item, 2 passed.
        var instructor = await NewPhoneAsync();
        await SignInStaffAsync(instructor, field.Instructor);
        await instructor.ClickAsync("nav a[href='#/inspect']");
        var item = instructor.Locator($"li.trainee[data-trainee-id='{trainee.PersonId}']");
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = Timeout });
        await item.Locator("summary").ClickAsync();
        await item.Locator("input[id$='-passed']").FillAsync("2");
        await item.Locator("textarea").FillAsync("Jahitan rapi, diperiksa di rumah");
        await item.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "periksa.jpg", MimeType = "image/jpeg", Buffer = await GpsJpeg.CreateAsync(instructor) });
        await item.Locator("button[type=submit]").ClickAsync();
        await instructor.ClickAsync("nav a[href='#/queue']");
        await Assertions.Expect(instructor.Locator("#queue-list li[data-kind=inspect]")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = Timeout });
        await instructor.Context.CloseAsync();

        // The health expert: the inspection waits for sign-off; sign it off.
        var expert = await NewPhoneAsync();
        await SignInStaffAsync(expert, field.HealthExpert);
        var signOff = expert.Locator($"li.sign-off[data-trainee-id='{trainee.PersonId}']");
        await Assertions.Expect(signOff).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(signOff.Locator(".report-photos, .inspection-photos")).ToHaveCountAsync(2);
        // The inspection's photo beside the report's (the report came without one).
        await Assertions.Expect(signOff.Locator(".inspection-photos img")).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(signOff.Locator(".inspection-photos img")).ToHaveJSPropertyAsync("naturalWidth", 640, new() { Timeout = Timeout });
        await signOff.Locator("button[data-action=sign-off]").ClickAsync();
        await expert.ClickAsync("nav a[href='#/queue']");
        await Assertions.Expect(expert.Locator("#queue-list li[data-kind=sign-off]")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = Timeout });
        await expert.Context.CloseAsync();

        // The trainee's page shows the 2 accepted units without a reload.
        await phone.EvaluateAsync("() => { window.__noReload = true; }");
        await Assertions.Expect(phone.Locator("#my-accepted")).ToHaveTextAsync("2", new() { Timeout = 60_000 });
        Assert.True(await phone.EvaluateAsync<bool>("() => window.__noReload === true"), "the page was reloaded");
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task Field_app_shell_manifest_and_service_worker_are_served_with_the_pages_headers()
    {
        Output();
        using var anonymous = new HttpClient { BaseAddress = fixture.Suite.GatewayAddress };
        foreach (var (path, type) in new[]
        {
            ("/app/", "text/html"), ("/app/signin-callback.html", "text/html"), ("/app/manifest.webmanifest", "application/manifest+json"),
            ("/app/sw.js", "text/javascript"), ("/app/workbox/workbox-sw.js", "text/javascript"), ("/app/icons/icon-192.png", "image/png"),
        })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: HTTP {(int)response.StatusCode}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
        var manifest = await anonymous.GetFromJsonAsync<JsonObject>("/app/manifest.webmanifest");
        Assert.Equal("/app/", manifest.Str("start_url"));
        Assert.Contains(manifest.Array("icons"), icon => icon.Str("sizes") == "512x512");
    }

    private async Task<IPage> NewPhoneAsync(ServiceWorkerPolicy serviceWorkers = ServiceWorkerPolicy.Allow)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Suite.GatewayAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 360, Height = 780 },
            Locale = "id-ID",
            ServiceWorkers = serviceWorkers,
            HasTouch = true,
        });
        // What the page and the service worker report as errors, in the test's output (the worker's install among them).
        context.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                output.WriteLine($"[browser {message.Type}] {message.Text} ({message.Location})");
            }
        };
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Until the app's service worker controls the page: the shell is precached, so the app opens offline. Its install
    /// fetches the whole shell, which on a loaded machine (the suite, Chromium and other test runs on two cores) has taken
    /// over 30 s; when it does not happen, the failure names the registration's state.
    /// </summary>
    private async Task WaitForServiceWorkerAsync(IPage page)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null", null, new() { Timeout = 90_000 });
            output.WriteLine($"The service worker controlled the page after {waited.Elapsed.TotalSeconds:0.0} s more.");
        }
        catch (TimeoutException)
        {
            var state = await page.EvaluateAsync<string>("""
                async () => {
                  const registration = await navigator.serviceWorker.getRegistration('/app/');
                  const state = (worker) => worker ? worker.state : 'none';
                  return registration
                    ? `installing: ${state(registration.installing)}, waiting: ${state(registration.waiting)}, active: ${state(registration.active)}`
                    : 'no registration';
                }
                """);
            Assert.Fail($"The service worker did not control {page.Url} within 90 s ({state}).");
        }
    }

    /// <summary>
    /// A screenshot in the test output's folder and, under the same name, at a stable path: <c>artifacts/screenshots/</c>
    /// at the repository root (or <c>BIMTEK_SCREENSHOT_DIR</c>), from where the README's copies are taken
    /// (gateway/Bimtek.Gateway/docs/field-app-*.png).
    /// </summary>
    private async Task Screenshot(IPage page, string name)
    {
        var file = Path.Combine(fixture.ArtifactDirectory, name);
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        // The phone's width is the page's width: nothing may scroll sideways at 360 px.
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"{name}: the page is {width} px wide on a 360-px screen.");
        var stable = Path.Combine(StableScreenshotDirectory(), name);
        Directory.CreateDirectory(Path.GetDirectoryName(stable)!);
        File.Copy(file, stable, overwrite: true);
        output.WriteLine($"Screenshot (360 px): {file}, also {stable}");
    }

    private static string StableScreenshotDirectory()
    {
        if (Environment.GetEnvironmentVariable("BIMTEK_SCREENSHOT_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
    }

    /// <summary>The app's sign-in: the identity service's page, "use a one-time code", the code an operator issued.</summary>
    private async Task SignInTraineeAsync(IPage page, FieldPerson trainee)
    {
        var issued = await WithAccountAsync("/api/v1/sign-in-codes", new JsonObject { ["subject"] = trainee.Subject, ["send"] = false });
        await page.GotoAsync("/app/");
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(new Regex("/account/signin"), new() { Timeout = Timeout });
        await page.ClickAsync("a[href^='/account/code']");
        await page.FillAsync("input[name=Name]", trainee.Subject);
        await page.FillAsync("input[name=Code]", issued.Str("code"));
        await page.ClickAsync("form[action='/account/code'] button[type=submit]");
        await Assertions.Expect(page.Locator("#trainee-name")).ToHaveTextAsync(trainee.Name, new() { Timeout = Timeout });
        Assert.StartsWith(fixture.Suite.GatewayAddress.ToString().TrimEnd('/') + "/app/", page.Url, StringComparison.Ordinal);
    }

    /// <summary>Staff: the invitation link sets a first password (signing them in at the identity service), then the app.</summary>
    private async Task SignInStaffAsync(IPage page, FieldPerson staff)
    {
        var invitation = await WithAccountAsync("/api/v1/invitations", new JsonObject { ["subject"] = staff.Subject });
        await page.GotoAsync(invitation.Str("url"));
        const string password = "lapangan-HSU-2020!";
        await page.FillAsync("input[name=Password]", password);
        await page.FillAsync("input[name=Confirm]", password);
        await page.ClickAsync("form[action='/account/invitation'] button[type=submit]");
        // The identity service sends them to the dashboard, which signs the tab in; then the app. The app signs in at
        // once when this tab signed in before, else with its button (the identity service's session answers at once).
        await page.WaitForURLAsync(new Regex("^" + Regex.Escape(fixture.Suite.GatewayAddress.ToString())), new() { Timeout = Timeout });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.GotoAsync("/app/");
        var title = page.Locator("h2.page-title");
        await Assertions.Expect(page.Locator("#sign-in").Or(title)).ToBeVisibleAsync(new() { Timeout = Timeout });
        if (await page.Locator("#sign-in").IsVisibleAsync())
        {
            await page.ClickAsync("#sign-in");
        }
        await Assertions.Expect(title).ToHaveTextAsync(staff.Name, new() { Timeout = Timeout });
    }

    /// <summary>
    /// An operator's call to the identity service for a person's account (code or invitation). The account follows the
    /// person through participants' outbox, so the first calls may find none yet.
    /// </summary>
    private async Task<JsonObject> WithAccountAsync(string path, JsonObject body)
    {
        using var http = fixture.Suite.CreateGatewayClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            body["requestId"] = Guid.NewGuid().ToString();
            using var response = await http.PostAsJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return JsonNode.Parse(text)!.AsObject();
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"POST {path}: HTTP {(int)response.StatusCode} {text}");
            }
            await Task.Delay(1000);
        }
    }

    private async Task<List<JsonNode>> ReportsAsync(string programmeId, string traineeId)
    {
        using var http = fixture.Suite.CreateGatewayClient();
        var list = await http.GetFromJsonAsync<JsonObject>($"/api/v1/output-reports?programmeId={programmeId}&traineeId={traineeId}&pageSize=200");
        return [.. list.Array("outputReports")];
    }

    private async Task<JsonNode> QuotaProgressAsync(string programmeId, string traineeId)
    {
        using var http = fixture.Suite.CreateGatewayClient();
        var detail = await http.GetFromJsonAsync<JsonObject>($"/api/v1/quotas/programmes/{programmeId}/trainees/{traineeId}");
        return detail!["progress"]!;
    }

    /// <summary>Materials' ledger: each report consumed each material of the bill exactly once (units × quantity per unit, whatever lots it came from).</summary>
    private async Task AssertConsumedOnceAsync(FieldProgramme field, IEnumerable<JsonNode> reports)
    {
        using var http = fixture.Suite.CreateGatewayClient();
        foreach (var report in reports)
        {
            var reportId = report.Str("reportId");
            var ledger = await http.GetFromJsonAsync<JsonObject>($"/api/v1/stock/ledger?reportId={reportId}&pageSize=200");
            var entries = ledger.Array("entries");
            output.WriteLine($"report {reportId} ({report.Int("units")} units): {entries.Count} ledger entries");
            var consumed = entries.GroupBy(e => e.Str("materialId")).ToDictionary(g => g.Key, g => g.Sum(e => e.Long("quantityDelta")));
            Assert.Equal(field.QuantityPerUnit.Keys.Order(), consumed.Keys.Order());
            foreach (var (materialId, perUnit) in field.QuantityPerUnit)
            {
                Assert.True(consumed[materialId] == -perUnit * report.Int("units"),
                    $"material {materialId}: consumed {consumed[materialId]} for {report.Int("units")} units of {perUnit} each");
            }
        }
    }

    private static async Task WaitForAsync(string what, Func<Task<(bool Done, string State)>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var state = "";
        while (DateTime.UtcNow < deadline)
        {
            bool done;
            (done, state) = await probe();
            if (done)
            {
                return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"Timed out waiting until {what}; last: {state}");
    }

    private static DateOnly ProgrammeToday() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, ProgrammeSpec.TimeZone));

    private async Task<FieldProgramme> FieldAsync()
    {
        await _fieldGate.WaitAsync();
        try
        {
            return _field ??= await CreateFieldProgrammeAsync();
        }
        finally
        {
            _fieldGate.Release();
        }
    }

    private async Task<FieldProgramme> CreateFieldProgrammeAsync()
    {
        using var http = fixture.Suite.CreateGatewayClient();
        var api = new SuiteApi(new RestClient(http, new TestOutputWriter(output)));
        var steps = new Steps(api, ScenarioOptions.Default);
        var ct = CancellationToken.None;
        var suffix = steps.Suffix;
        var today = ProgrammeToday();
        var programme = await api.CreateProgrammeAsync(new JsonObject
        {
            ["code"] = "FIELD-" + suffix,
            ["title"] = "Bimtek APD (aplikasi lapangan)",
            ["productCode"] = Ppe2020.ProductCode,
            ["organisers"] = Json.Strings(["Disperindagkop-UKM HSU"]),
            ["district"] = ProgrammeSpec.District,
            ["province"] = ProgrammeSpec.Province,
            ["mode"] = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            ["startDay"] = Json.Date(today.AddDays(-1)),
            ["endDay"] = Json.Date(today.AddDays(8)),
            ["timeZone"] = ProgrammeSpec.TimeZone,
            ["capacity"] = 3,
            ["targetQuantity"] = 30,
        }, ct);
        var programmeId = programme.Required("programmeId", "create programme");
        async Task<FieldPerson> StaffAsync(string kind, string role, string name)
        {
            var subject = $"{role.ToLowerInvariant()}-{suffix}";
            var person = await api.Rest.PostAsync($"register {name}", "/api/v1/people/staff", new JsonObject
            {
                ["kind"] = kind,
                ["name"] = $"{name} ({suffix})",
                ["district"] = ProgrammeSpec.District,
                ["organisation"] = "Disperindagkop-UKM HSU",
                ["subject"] = subject,
            }, ct);
            var personId = person.Required("personId", "register " + name);
            await api.AssignStaffAsync(programmeId, personId, role, ct);
            return new FieldPerson(personId, person.Str("name"), subject);
        }
        var instructor = await StaffAsync("STAFF_KIND_INSTRUCTOR", "STAFF_ROLE_INSTRUCTOR", "Instruktur Lapangan");
        var expert = await StaffAsync("STAFF_KIND_HEALTH_EXPERT", "STAFF_ROLE_HEALTH_EXPERT", "Ahli Kesehatan Lapangan");
        var trainees = new List<FieldPerson>();
        foreach (var name in new[] { "Rahmah", "Fitriani", "Norhayati" })
        {
            var subject = $"field-{suffix}-{trainees.Count}";
            var person = await api.RegisterTraineeAsync(new JsonObject
            {
                ["name"] = $"{name} ({suffix})",
                ["birthYear"] = 1995,
                ["village"] = "Amuntai Tengah",
                ["district"] = ProgrammeSpec.District,
                ["subject"] = subject,
            }, ct);
            var personId = person.Required("personId", "register trainee");
            await api.EnrolAsync(programmeId, personId, ct);
            trainees.Add(new FieldPerson(personId, person.Str("name"), subject));
        }
        await steps.ActivateAsync(programmeId, trainees.Count, ct);
        var ids = trainees.Select(t => t.PersonId).ToList();
        var quotas = await steps.QuotasAsync(programmeId, ids, 30, ct);
        var (product, bom) = await steps.ProductAsync(Ppe2020.ProductCode, ct);
        var warehouse = await steps.ReceiveFromProvinceAsync(bom, quotas, programmeId, ct);
        await steps.KitsAsync(programmeId, product.Str("productId"), warehouse, ids, quotas, ct);
        return new FieldProgramme(programmeId, instructor, expert, trainees, bom.ToDictionary(l => l.Str("materialId"), l => l.Long("quantityPerUnit")));
    }
}
