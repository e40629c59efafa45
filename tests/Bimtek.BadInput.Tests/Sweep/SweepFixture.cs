using System.Text.Json.Nodes;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;

namespace Bimtek.BadInput.Tests.Sweep;

/// <summary>
/// The suite the sweep runs against, prepared once for all its routes: started on SQLite, seeded with mask-2020,
/// the served OpenAPI document's routes, real ids for their path variables, and the settled state every route's
/// bad requests must leave unchanged.
/// </summary>
public sealed class SweepFixture : IAsyncLifetime
{
    private readonly SqliteSuiteFixture _suite = new();
    private StateSnapshot _baseline = null!;

    public SuiteProcesses Suite => _suite.Suite;

    public string StartLog { get; private set; } = "";

    /// <summary>The served document's routes by "VERB /template".</summary>
    public IReadOnlyDictionary<string, Route> Routes { get; private set; } = null!;

    /// <summary>Real ids of the seed for path variables (the others get unknown ids).</summary>
    public IReadOnlyDictionary<string, string> Ids { get; private set; } = null!;

    /// <summary>The operator's client for the bad requests (its own connections, no client-side timeout).</summary>
    public HttpClient Client { get; private set; } = null!;

    private string DataDirectory => Path.Combine(Suite.RootDirectory, "data");

    public async Task InitializeAsync()
    {
        await _suite.InitializeAsync();
        using var http = Suite.CreateGatewayClient();
        var seed = await SeedAsync(http);
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var routes = RouteCatalog.Read(document);
        Routes = routes.ToDictionary(r => r.ToString(), StringComparer.Ordinal);
        Ids = await IdHarvester.HarvestAsync(http, routes, seed, CancellationToken.None);
        var unfilled = routes.SelectMany(r => r.PathVariables).Distinct().Where(v => !Ids.ContainsKey(v)).ToList();
        _baseline = await QuiescentSnapshotAsync(DataDirectory);
        StartLog = _suite.StartLog + Environment.NewLine
            + $"Real ids for {Ids.Count} path variables ({string.Join(", ", Ids.Keys.Order())}); unknown ids only for: {(unfilled.Count == 0 ? "none" : string.Join(", ", unfilled))}"
            + Environment.NewLine + $"Baseline: {_baseline.TableCount} tables, {_baseline.RowCount} rows; {routes.Count} routes.";
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 8 })
        {
            BaseAddress = Suite.GatewayAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Client.DefaultRequestHeaders.Add("X-Api-Key", Suite.Secrets.ApiKey);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await _suite.DisposeAsync();
    }

    /// <summary>
    /// Tables that differ from the settled state (after a short wait for effects a bad request might have queued).
    /// A route that changed something becomes the new baseline, so the next route is judged only by what it does.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChangesSinceBaselineAsync()
    {
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var now = await StateSnapshot.TakeAsync(DataDirectory);
        var changed = _baseline.Differences(now);
        if (changed.Count > 0)
        {
            _baseline = await QuiescentSnapshotAsync(DataDirectory);
        }
        return changed;
    }

    public static string CheckedInDocument() => Path.Combine(RepositoryRoot(), "gateway", "Bimtek.Gateway", "OpenApi", "v1.json");

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Microservices.sln above {AppContext.BaseDirectory}.");
    }

    private async Task<ScenarioSummary> SeedAsync(HttpClient http)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            return await new ScenarioRunner(http, TextWriter.Null, new ScenarioOptions(TimeSpan.FromSeconds(60))).RunAsync(Mask2020.Name, timeout.Token);
        }
        catch (Exception exception) when (exception is ScenarioFailure or OperationCanceledException)
        {
            throw new InvalidOperationException($"Seeding {Mask2020.Name} failed: {exception.Message}{Environment.NewLine}{Suite.DescribeProcesses()}", exception);
        }
    }

    /// <summary>Waits until the outboxes and grains have settled (two snapshots a second apart agree).</summary>
    private static async Task<StateSnapshot> QuiescentSnapshotAsync(string data)
    {
        var previous = await StateSnapshot.TakeAsync(data);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var current = await StateSnapshot.TakeAsync(data);
            if (previous.Differences(current).Count == 0)
            {
                return current;
            }
            previous = current;
        }
        throw new InvalidOperationException("The suite's state did not settle within 30 s after seeding.");
    }
}
