using System.Text.Json.Nodes;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using Xunit.Abstractions;

namespace Bimtek.EndToEnd.Tests;

/// <summary>The suite's processes start, answer /readyz, and the gateway admits the API key.</summary>
public abstract class SuiteTests(SuiteFixture fixture, ITestOutputHelper output)
{
    protected SuiteFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    [Fact]
    public async Task Suite_starts_and_every_readyz_is_green()
    {
        Output.WriteLine(Fixture.StartLog);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(SuiteProcesses.Services.Count + 1, Fixture.Suite.Processes.Count);
        foreach (var process in Fixture.Suite.Processes)
        {
            Assert.False(process.HasExited, process.Describe());
            using var response = await http.GetAsync(new Uri(process.RestAddress, "/readyz"));
            Assert.True(response.IsSuccessStatusCode, $"{process.Name} /readyz: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        // Through the gateway with the API key: an authenticated read reaches a service.
        using var gateway = Fixture.Suite.CreateGatewayClient();
        using var products = await gateway.GetAsync("/api/v1/products?code=" + Mask2020.ProductCode);
        Assert.True(products.IsSuccessStatusCode, $"GET /api/v1/products via the gateway: HTTP {(int)products.StatusCode} {await products.Content.ReadAsStringAsync()}");
        // Without a key the gateway refuses.
        using var anonymous = new HttpClient { BaseAddress = Fixture.Suite.GatewayAddress };
        using var refused = await anonymous.GetAsync("/api/v1/products");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}

/// <summary>
/// The seed programmes end to end: the real processes, the gateway's REST surface with an API key, and the
/// final figures read back from every service through the gateway.
/// </summary>
public abstract class EndToEndTests(SuiteFixture fixture, ITestOutputHelper output) : SuiteTests(fixture, output)
{
    private static readonly TimeSpan _scenarioTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Mask_2020_runs_through_the_gateway_and_every_service_shows_500_masks_for_BPBD()
    {
        var summary = await RunAsync(Mask2020.Name);
        Assert.Equal(5, summary.Trainees);
        Assert.Equal([100, 100, 100, 100, 100], summary.Quotas);
        Assert.StartsWith("BPBD", summary.RecipientName, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(summary.DocumentNumber));
        await AssertFinalFiguresAsync(summary, trainees: 5, units: 500);
    }

    [Fact]
    public async Task Mask_2020_runs_with_the_trainees_reporting_output_with_their_own_tokens()
    {
        var summary = await RunAsync(Mask2020.Name, traineesSignIn: true);
        Assert.Equal([100, 100, 100, 100, 100], summary.Quotas);
        await AssertFinalFiguresAsync(summary, trainees: 5, units: 500);

        // Every report names the trainee's own login as its reporter (the operator's key reports as its client).
        using var http = Fixture.Suite.CreateGatewayClient();
        var api = new RestClient(http, new TestOutputWriter(Output));
        var reports = await api.GetAsync("list output reports", $"/api/v1/output-reports?programmeId={summary.ProgrammeId}&pageSize=100", CancellationToken.None);
        var reporters = reports.Array("outputReports").Select(r => r.Str("reportedBy")).Distinct().Order().ToList();
        Assert.Equal(5, reporters.Count);
        Assert.All(reporters, r => Assert.StartsWith("trainee-", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ppe_2020_runs_through_the_gateway_with_quotas_9_9_9_9_8_8_8_and_60_signed_off_sets_handed_over()
    {
        var summary = await RunAsync(Ppe2020.Name);
        Assert.Equal(7, summary.Trainees);
        Assert.Equal([9, 9, 9, 9, 8, 8, 8], summary.Quotas);
        Assert.Equal(Ppe2020.RecipientName, summary.RecipientName);
        await AssertFinalFiguresAsync(summary, trainees: 7, units: 60);
    }

    private async Task<ScenarioSummary> RunAsync(string scenario, bool traineesSignIn = false)
    {
        var log = new TestOutputWriter(Output);
        using var http = Fixture.Suite.CreateGatewayClient();
        using var timeout = new CancellationTokenSource(_scenarioTimeout);
        try
        {
            return await new ScenarioRunner(http, log, new ScenarioOptions(TimeSpan.FromSeconds(60)) { TraineesSignIn = traineesSignIn }).RunAsync(scenario, timeout.Token);
        }
        catch (Exception exception) when (exception is ScenarioFailure or OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{scenario} on {Fixture.Database}: {exception.Message}{Environment.NewLine}"
                + $"Service output:{Environment.NewLine}{Fixture.Suite.DescribeProcesses()}");
        }
    }

    /// <summary>Reads the programme's final figures from every service through the gateway.</summary>
    private async Task AssertFinalFiguresAsync(ScenarioSummary summary, int trainees, int units)
    {
        using var http = Fixture.Suite.CreateGatewayClient();
        var api = new SuiteApi(new RestClient(http, new TestOutputWriter(Output)));
        var ct = CancellationToken.None;
        var id = summary.ProgrammeId;

        // participants: the programme and its active enrolments.
        var programme = await api.GetProgrammeAsync(id, ct);
        Assert.Equal(trainees, programme.Int("enrolledCount"));
        var enrolments = await api.ListEnrolmentsAsync(id, ct);
        Assert.Equal(summary.TraineeIds.Order(), enrolments.Array("enrolments").Select(e => e.Str("traineeId")).Order());

        // materials: what was consumed for the accepted units is exactly the BOM (without waste) times the units.
        var product = await api.FindProductAsync(summary.ProductCode, ct);
        var bom = product["currentBom"].Array("lines").ToDictionary(l => l.Str("materialId"), l => l.Long("quantityPerUnit"));
        var yields = (await api.ListTraineeYieldsAsync(id, ct)).Array("yields");
        Assert.Equal(trainees, yields.Count);
        Assert.Equal(units, yields.Sum(y => y.Int("unitsReported")));
        var consumedByYield = yields.SelectMany(y => y.Array("lines")).GroupBy(l => l.Str("materialId")).ToDictionary(g => g.Key, g => g.Sum(l => l.Long("consumed")));
        var consumedByLedger = await ConsumptionFromLedgerAsync(api, id, ct);
        foreach (var (materialId, perUnit) in bom)
        {
            Assert.Equal(perUnit * units, consumedByYield.GetValueOrDefault(materialId));
            Assert.Equal(perUnit * units, consumedByLedger.GetValueOrDefault(materialId));
        }
        Assert.DoesNotContain(yields, y => y.Bool("overAllowance"));

        // production: everything reported was accepted; nothing pending, rejected or awaiting.
        var totals = await api.GetProgrammeTotalsAsync(id, ct);
        Assert.Equal(units, totals.Int("reportedUnits"));
        Assert.Equal(units, totals.Int("acceptedUnits"));
        Assert.Equal(0, totals.Int("rejectedUnits") + totals.Int("awaitingInspectionUnits") + totals.Int("awaitingSignOffUnits") + totals.Int("pendingReports") + totals.Int("refusedUnits"));

        // coordinator: quotas and accepted units per trainee.
        var progress = await api.GetProgressAsync(id, null, ct);
        Assert.Equal(units, progress["summary"].Int("accepted"));
        Assert.Equal(units, progress["summary"].Int("produced"));
        Assert.Equal(trainees, progress["summary"].Int("traineeCount"));
        var byTrainee = progress.Array("trainees").ToDictionary(t => t.Str("traineeId"));
        for (var i = 0; i < summary.TraineeIds.Count; i++)
        {
            var trainee = byTrainee[summary.TraineeIds[i]];
            Assert.Equal(summary.Quotas[i], trainee.Int("quota"));
            Assert.Equal(summary.Quotas[i], trainee.Int("accepted"));
        }

        // distribution: received, handed over to the recipient, none left.
        var goods = (await api.ListFinishedGoodsAsync(id, ct)).Array("finishedGoods").Single(g => g.Str("productCode") == summary.ProductCode);
        Assert.Equal(units, goods.Int("receivedUnits"));
        Assert.Equal(units, goods.Int("handedOverUnits"));
        Assert.Equal(0, goods.Int("availableUnits"));
        var handover = await api.GetHandoverAsync(summary.HandoverId, ct);
        Assert.Equal(units, handover.Int("units"));
        Assert.Equal(summary.RecipientId, handover.Str("recipientId"));
        Assert.Equal(summary.DocumentNumber, handover.Str("documentNumber"));
    }

    private static async Task<Dictionary<string, long>> ConsumptionFromLedgerAsync(SuiteApi api, string programmeId, CancellationToken ct)
    {
        var consumed = new Dictionary<string, long>();
        var token = "";
        do
        {
            JsonObject page = await api.ListLedgerAsync(programmeId, "MOVEMENT_KIND_CONSUMPTION", token, ct);
            foreach (var entry in page.Array("entries"))
            {
                var material = entry.Str("materialId");
                consumed[material] = consumed.GetValueOrDefault(material) - entry.Long("quantityDelta");
            }
            token = page.Str("nextPageToken");
        }
        while (token.Length > 0);
        return consumed;
    }
}

/// <summary>The suite on its embedded SQLite default (a temporary data folder).</summary>
public sealed class SqliteEndToEndTests(SqliteSuiteFixture fixture, ITestOutputHelper output)
    : EndToEndTests(fixture, output), IClassFixture<SqliteSuiteFixture>;

/// <summary>The suite on PostgreSQL: one database per service and one for Orleans.</summary>
public sealed class PostgresEndToEndTests(PostgresSuiteFixture fixture, ITestOutputHelper output)
    : EndToEndTests(fixture, output), IClassFixture<PostgresSuiteFixture>;
