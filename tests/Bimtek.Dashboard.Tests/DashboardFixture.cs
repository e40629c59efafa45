using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using Bimtek.Testing.Hosting;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>
/// The real suite on SQLite with a test issuer of people's tokens configured on the gateway, the ppe-2020
/// scenario run through it, a small second programme whose two trainees have logins (token subjects), and a
/// headless Debian chromium driven by Playwright (no browser download).
/// </summary>
public sealed partial class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string TestIssuer = "https://idp.bimtek.test";
    public const string TestAudience = "bimtek-api";

    private readonly StringWriter _log = new();
    private readonly ECDsa _issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private IPlaywright? _playwright;

    public SuiteProcesses Suite { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public ScenarioSummary Ppe { get; private set; } = null!;

    /// <summary>The small programme of the two trainees who can sign in.</summary>
    public string OwnProgrammeId { get; private set; } = "";

    public (string PersonId, string Name, string Subject) TraineeA { get; private set; }

    public (string PersonId, string Name, string Subject) TraineeB { get; private set; }

    /// <summary>Where screenshots go (printed by the tests).</summary>
    public string ArtifactDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");

    public string SetupLog => _log.ToString();

    /// <summary>The setup log is printed once, by the first test.</summary>
    public void ClearLog() => _log.GetStringBuilder().Clear();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // Never skipped: CI installs Debian's chromium, and a missing browser must fail the run.
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (apt-get install chromium).");
        }
        Directory.CreateDirectory(ArtifactDirectory);
        Suite = await SuiteProcesses.StartAsync(DatabaseKind.Sqlite, _log, new SuiteOptions
        {
            GatewayEnvironment = new Dictionary<string, string>
            {
                ["Gateway__Jwt__Issuer"] = TestIssuer,
                ["Gateway__Jwt__Audience"] = TestAudience,
                ["Gateway__Jwt__SigningKeysPem__0"] = _issuerKey.ExportSubjectPublicKeyInfoPem(),
            },
        });
        using var http = Suite.CreateGatewayClient();
        // 5 minutes by default; a machine shared with other test runs may need longer (BIMTEK_E2E_SETUP_TIMEOUT_SECONDS).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(
            int.TryParse(Environment.GetEnvironmentVariable("BIMTEK_E2E_SETUP_TIMEOUT_SECONDS"), out var seconds) && seconds > 0 ? seconds : 300));
        try
        {
            Ppe = await new ScenarioRunner(http, _log, new ScenarioOptions(TimeSpan.FromSeconds(60))).RunAsync(Ppe2020.Name, timeout.Token);
            await CreateOwnProgrammeAsync(new SuiteApi(new RestClient(http, _log)), timeout.Token);
            await CreateSignOffProgrammeAsync(new SuiteApi(new RestClient(http, _log)), timeout.Token);
        }
        catch (Exception exception) when (exception is ScenarioFailure or OperationCanceledException)
        {
            throw new InvalidOperationException($"Setup failed: {exception.Message}{Environment.NewLine}{Suite.DescribeProcesses()}", exception);
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Playwright starts it with a fresh temporary profile (its --user-data-dir) and closes it with the browser.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (Suite is not null)
        {
            await Suite.DisposeAsync();
        }
        _issuerKey.Dispose();
    }

    /// <summary>A new page (own context: own sessionStorage) at <paramref name="width"/>×<paramref name="height"/>.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Suite.GatewayAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "id-ID",
        });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the form with the operator's API key or a bearer token.</summary>
    public static async Task SignInAsync(IPage page, string kind, string credential)
    {
        await page.GotoAsync("/");
        await page.SelectOptionAsync("#credential-kind", kind);
        await page.FillAsync("#credential", credential);
        await page.ClickAsync("form.sign-in button[type=submit]");
        // Signed in once the page has moved on (it sets its own route first; navigating earlier would race it).
        await Assertions.Expect(page.Locator("#sign-out")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    public Task SignInAsOperatorAsync(IPage page) => SignInAsync(page, "apiKey", Suite.Secrets.ApiKey);

    /// <summary>An ES256 JWT of the test issuer for a trainee login.</summary>
    public string TraineeToken(string subject)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", typ = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = TestIssuer,
            ["aud"] = TestAudience,
            ["sub"] = subject,
            ["roles"] = new[] { "trainee" },
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 1800,
        }));
        var signature = _issuerKey.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256);
        return header + "." + payload + "." + Base64Url(signature);
    }

    public HttpClient TraineeClient(string subject)
    {
        var client = new HttpClient { BaseAddress = Suite.GatewayAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TraineeToken(subject));
        return client;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Two trainees with logins in a programme of their own (the PPE programme is full at 7).</summary>
    private async Task CreateOwnProgrammeAsync(SuiteApi api, CancellationToken ct)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var programme = await api.CreateProgrammeAsync(new JsonObject
        {
            ["code"] = "DASH-" + suffix,
            ["title"] = "Bimtek masker (dasbor)",
            ["productCode"] = Mask2020.ProductCode,
            ["organisers"] = Json.Strings(["Disperindagkop-UKM HSU"]),
            ["district"] = ProgrammeSpec.District,
            ["province"] = ProgrammeSpec.Province,
            ["mode"] = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            ["startDay"] = Json.Date(today.AddDays(-1)),
            ["endDay"] = Json.Date(today.AddDays(8)),
            ["timeZone"] = ProgrammeSpec.TimeZone,
            ["capacity"] = 2,
            ["targetQuantity"] = 20,
        }, ct);
        OwnProgrammeId = programme.Required("programmeId", "create programme");
        await new Steps(api, ScenarioOptions.Default).StaffAsync(OwnProgrammeId, "STAFF_KIND_INSTRUCTOR", "STAFF_ROLE_INSTRUCTOR",
            "Instruktur Jahit Dasbor", "Disperindagkop-UKM HSU", ct);
        var trainees = new List<(string, string, string)>();
        foreach (var name in new[] { "Siti Aminah", "Nurul Hidayah" })
        {
            var subject = "trainee-" + suffix + "-" + trainees.Count;
            var person = await api.RegisterTraineeAsync(new JsonObject
            {
                ["name"] = $"{name} ({suffix})",
                ["birthYear"] = 1994,
                ["village"] = "Sungai Karias",
                ["district"] = ProgrammeSpec.District,
                ["subject"] = subject,
            }, ct);
            var personId = person.Required("personId", "register trainee");
            await api.EnrolAsync(OwnProgrammeId, personId, ct);
            trainees.Add((personId, person.Str("name"), subject));
        }
        await api.ActivateProgrammeAsync(OwnProgrammeId, ct);
        TraineeA = trainees[0];
        TraineeB = trainees[1];
    }
}
