using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.Postgres;

namespace Bimtek.Suite;

/// <summary>
/// The whole suite as real processes: participants, materials, production, distribution, the coordinator
/// (one Orleans silo), identity, notifications and the gateway, each <c>dotnet services/Bimtek.X/bin/&lt;Configuration&gt;/net10.0/Bimtek.X.dll</c>
/// on free loopback ports, configured only through environment variables (fresh signing key, API key and
/// client secrets; a temporary data folder or one PostgreSQL database per service plus one for Orleans).
/// Ready when every service's and the gateway's <c>/readyz</c> answer 200. Disposal kills the processes it started.
/// </summary>
public sealed class SuiteProcesses : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> Services = ["participants", "materials", "production", "distribution", "coordinator", "identity", "notifications"];

    /// <summary>The services that tell people through notifications (their outbox switch is on here), with the switch's key.</summary>
    private static readonly IReadOnlyDictionary<string, string> _senders = new Dictionary<string, string>
    {
        ["participants"] = "Participants__SendNotifications",
        ["materials"] = "Materials__SendNotifications",
        ["production"] = "Production__SendNotifications",
        ["distribution"] = "Distribution__SendNotifications",
        ["coordinator"] = "Coordinator__SendNotifications",
    };

    /// <summary>Whom each service calls over gRPC (services__X__grpc__0).</summary>
    private static readonly IReadOnlyDictionary<string, string[]> _calls = new Dictionary<string, string[]>
    {
        ["participants"] = ["coordinator", "identity", "notifications"],
        ["materials"] = ["participants", "notifications"],
        ["production"] = ["participants", "materials", "coordinator", "distribution", "notifications"],
        ["distribution"] = ["identity", "notifications", "participants", "materials"],
        ["coordinator"] = ["participants", "notifications"],
        ["identity"] = [],
        ["notifications"] = ["participants"],
    };

    /// <summary>
    /// About 30 s on an idle 2-core machine; generous because CI shares the cores with other test projects
    /// (BIMTEK_E2E_READY_TIMEOUT_SECONDS overrides).
    /// </summary>
    private static readonly TimeSpan _readyTimeout = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("BIMTEK_E2E_READY_TIMEOUT_SECONDS"), out var seconds) && seconds > 0 ? seconds : 180);

    private readonly List<SuiteProcess> _processes = [];
    private readonly Dictionary<string, Uri> _grpcAddresses = [];

    /// <summary>How each process was started (dll, REST address, environment), so it can be started again.</summary>
    private readonly Dictionary<string, (string Dll, Uri RestAddress, Dictionary<string, string> Environment)> _launches = [];

    private readonly Dictionary<string, string> _connectionStrings = [];

    private SuiteOptions _options = SuiteOptions.Default;

    private SuiteProcesses(DatabaseKind database, string root)
    {
        Database = database;
        RootDirectory = root;
    }

    public DatabaseKind Database { get; }

    /// <summary>Temporary folder of data and logs.</summary>
    public string RootDirectory { get; }

    public SuiteSecrets Secrets { get; } = new();

    public Uri GatewayAddress { get; private set; } = null!;

    /// <summary>The gateway's gRPC listener (cleartext HTTP/2, prior knowledge).</summary>
    public Uri GatewayGrpcAddress { get; private set; } = null!;

    public IReadOnlyList<SuiteProcess> Processes => _processes;

    /// <summary>Each service's HTTP/2 gRPC endpoint by name (and "gateway"), for callers that bypass the gateway.</summary>
    public IReadOnlyDictionary<string, Uri> GrpcAddresses => _grpcAddresses;

    public SuiteOptions Options => _options;

    /// <summary>
    /// On PostgreSQL: each service's connection string by service name, plus <c>orleans</c> for the
    /// coordinator's Orleans database (grain state, reminders, membership). Empty on SQLite.
    /// </summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings => _connectionStrings;

    /// <summary>Name of the coordinator's second silo when <see cref="SuiteOptions.CoordinatorSilos"/> is 2.</summary>
    public const string SecondSilo = "coordinator-2";

    /// <summary>
    /// The suite with <paramref name="options"/>: e.g. a second coordinator silo (PostgreSQL only), extra
    /// environment for every service, or extra gateway settings.
    /// </summary>
    public static async Task<SuiteProcesses> StartAsync(DatabaseKind database, TextWriter? progress, SuiteOptions options)
    {
        if (options.CoordinatorSilos is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "CoordinatorSilos must be 1 or 2.");
        }
        if (options.CoordinatorSilos > 1 && database != DatabaseKind.Postgres)
        {
            throw new ArgumentException("Two coordinator silos form an Orleans cluster through PostgreSQL membership: use DatabaseKind.Postgres.", nameof(options));
        }
        // Other test assemblies start suites and hosts at the same time, so a port drawn as free can still be
        // bound by someone else first: a launch that lost that race is tried again on new ports.
        for (var attempt = 1; ; attempt++)
        {
            var root = Path.Combine(Path.GetTempPath(), "bimtek-e2e", $"{database.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..24]);
            Directory.CreateDirectory(Path.Combine(root, "logs"));
            var suite = new SuiteProcesses(database, root) { _options = options };
            try
            {
                await suite.LaunchAsync(progress ?? TextWriter.Null);
                return suite;
            }
            catch (InvalidOperationException exception) when (attempt < 3 && exception.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                (progress ?? TextWriter.Null).WriteLine($"A port was taken while the suite started (attempt {attempt}); starting again on other ports.");
                await suite.DisposeAsync();
            }
            catch
            {
                await suite.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The process named <paramref name="name"/> (a service, <c>gateway</c>, or <see cref="SecondSilo"/>).</summary>
    public SuiteProcess Process(string name) =>
        _processes.SingleOrDefault(p => p.Name == name)
            ?? throw new ArgumentException($"No process named {name}; there are {string.Join(", ", _processes.Select(p => p.Name))}.", nameof(name));

    /// <summary><c>kill -9</c> of one process (SIGKILL to the pid this suite started); returns once it has exited.</summary>
    public void Kill(string name) => Process(name).Kill();

    /// <summary>
    /// Starts <paramref name="name"/> again (killing it first if it still runs) with the same ports, environment
    /// and data; its log continues in the same file. Does not wait for readiness: see <see cref="WaitReadyAsync"/>.
    /// </summary>
    public SuiteProcess Restart(string name)
    {
        var old = Process(name);
        old.Kill();
        old.Dispose();
        var (dll, rest, environment) = _launches[name];
        var started = SuiteProcess.Start(name, dll, rest, environment, Path.Combine(RootDirectory, "logs"), appendLog: true);
        _processes[_processes.IndexOf(old)] = started;
        return started;
    }

    /// <summary>
    /// Like <see cref="Restart(string)"/>, with some environment variables changed from then on (e.g. notifications'
    /// <c>Notifications__ClockOffset</c> moved on to the next morning).
    /// </summary>
    public SuiteProcess Restart(string name, IReadOnlyDictionary<string, string> changes)
    {
        var (dll, rest, environment) = _launches[name];
        foreach (var (key, value) in changes)
        {
            environment[key] = value;
        }
        _launches[name] = (dll, rest, environment);
        return Restart(name);
    }

    /// <summary>
    /// Waits until every process's <c>/readyz</c> (or only those of <paramref name="names"/>) answers 200; returns
    /// how long that took. Throws <see cref="TimeoutException"/> with each late process's last answer and output.
    /// </summary>
    public Task<TimeSpan> WaitReadyAsync(TimeSpan timeout, TextWriter? progress = null, params string[] names) =>
        WaitProcessesReadyAsync(names.Length == 0 ? _processes.ToList() : names.Select(Process).ToList(), timeout, progress ?? TextWriter.Null);

    /// <summary>The suite with default <see cref="SuiteOptions"/>: one coordinator silo, the launcher's own settings.</summary>
    public static Task<SuiteProcesses> StartAsync(DatabaseKind database, TextWriter? progress = null) =>
        StartAsync(database, progress, SuiteOptions.Default);

    public HttpClient CreateGatewayClient() => Bimtek.Scenarios.ScenarioRunner.CreateGatewayClient(GatewayAddress, Secrets.ApiKey);

    /// <summary>The last output lines of every process, for failure messages.</summary>
    public string DescribeProcesses() => string.Join(Environment.NewLine, _processes.Select(p => p.Describe()));

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        _processes.Clear();
        return ValueTask.CompletedTask;
    }

    private async Task LaunchAsync(TextWriter progress)
    {
        // The last four are the second coordinator silo's (gRPC, REST, silo, silo gateway) when there is one.
        var ports = FreePorts.Take(Services.Count * 2 + 4 + 4);
        var grpc = new Dictionary<string, Uri>();
        var rest = new Dictionary<string, Uri>();
        for (var i = 0; i < Services.Count; i++)
        {
            grpc[Services[i]] = Loopback(ports[i * 2]);
            rest[Services[i]] = Loopback(ports[i * 2 + 1]);
        }
        var gatewayRest = Loopback(ports[Services.Count * 2]);
        var gatewayGrpc = Loopback(ports[Services.Count * 2 + 1]);
        var siloPort = ports[Services.Count * 2 + 2];
        var siloGatewayPort = ports[Services.Count * 2 + 3];
        GatewayAddress = gatewayRest;
        GatewayGrpcAddress = gatewayGrpc;
        foreach (var (service, address) in grpc)
        {
            _grpcAddresses[service] = address;
        }
        _grpcAddresses["gateway"] = gatewayGrpc;

        var connectionStrings = await DatabasesAsync();
        foreach (var (key, value) in connectionStrings)
        {
            _connectionStrings[key] = value;
        }
        var clusterId = "bimtek-e2e-" + Guid.NewGuid().ToString("N")[..8];
        var logs = Path.Combine(RootDirectory, "logs");
        foreach (var service in Services)
        {
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Kestrel__Endpoints__Grpc__Url"] = grpc[service].ToString().TrimEnd('/'),
                ["Kestrel__Endpoints__Rest__Url"] = rest[service].ToString().TrimEnd('/'),
                ["Database__DataDirectory"] = Path.Combine(RootDirectory, "data", service),
                ["Auth__PublicKeyPem"] = Secrets.PublicKeyPem,
                ["Auth__TokenEndpoint"] = new Uri(gatewayRest, "/connect/token").ToString(),
                ["Auth__ClientId"] = service,
                ["Auth__ClientSecret"] = Secrets.ClientSecret(service),
            };
            foreach (var callee in _calls[service])
            {
                environment[$"services__{callee}__grpc__0"] = grpc[callee].ToString().TrimEnd('/');
            }
            if (service == "coordinator")
            {
                environment["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
                environment["Orleans__GatewayPort"] = siloGatewayPort.ToString(CultureInfo.InvariantCulture);
                environment["Orleans__ClusterId"] = clusterId;
                if (_options.CoordinatorSilos > 1)
                {
                    // Membership in the Orleans database, so the second silo joins the first.
                    environment["Coordinator__Clustering"] = "AdoNet";
                }
                if (connectionStrings.TryGetValue("orleans", out var orleans))
                {
                    environment["ConnectionStrings__Orleans"] = orleans;
                }
            }
            if (service is "participants" or "distribution")
            {
                // Accounts follow people: registered, enrolled, withdrawn, assigned staff and recipient users.
                environment[service == "participants" ? "Participants__SendAccountChanges" : "Distribution__SendAccountChanges"] = "true";
            }
            if (service == "identity")
            {
                // People sign in here; the gateway trusts its tokens by its discovery document.
                var dashboard = gatewayRest.ToString();
                environment["Identity__Issuer"] = rest[service].ToString();
                environment["Identity__KeyDirectory"] = Path.Combine(RootDirectory, "data", service, "keys");
                environment["Identity__DevInbox"] = "true";
                environment["Identity__DefaultReturnUrl"] = dashboard + "#/signin";
                environment["Identity__Dashboard__RedirectUris__0"] = dashboard + "signin-callback.html";
                environment["Identity__Dashboard__PostLogoutRedirectUris__0"] = dashboard;
                environment["Identity__Dashboard__RedirectUris__1"] = dashboard + "app/signin-callback.html";
                environment["Identity__Dashboard__PostLogoutRedirectUris__1"] = dashboard + "app/";
                environment["Identity__DevelopmentOperator__Email"] = SuiteSecrets.OperatorEmail;
                environment["Identity__DevelopmentOperator__Password"] = Secrets.OperatorPassword;
            }
            if (_senders.TryGetValue(service, out var sends))
            {
                // People are told through notifications' outbox receiver, as in compose and the AppHost.
                environment[sends] = "true";
            }
            if (service == "notifications")
            {
                // Nothing leaves the machine: every message is "sent" by the dev outbox channel and kept in the
                // notifications database (messages, attempts), where the end-to-end tests read it.
                environment["Notifications__DevOutbox"] = "true";
            }
            if (connectionStrings.TryGetValue(service, out var connectionString))
            {
                environment["ConnectionStrings__Postgres"] = connectionString;
            }
            foreach (var (key, value) in _options.Environment)
            {
                environment[key] = value;
            }
            if (_options.ServiceEnvironment.TryGetValue(service, out var own))
            {
                foreach (var (key, value) in own)
                {
                    environment[key] = value;
                }
            }
            Directory.CreateDirectory(environment["Database__DataDirectory"]);
            Launch(service, ServiceDll(service), rest[service], environment, logs);
        }
        Launch("gateway", GatewayDll(), gatewayRest, GatewayEnvironment(gatewayRest, gatewayGrpc, grpc, rest), logs);
        progress.WriteLine($"Started {string.Join(", ", _processes.Select(p => $"{p.Name} (pid {p.ProcessId}, {p.RestAddress})"))} on {Database}; logs in {logs}");
        await WaitProcessesReadyAsync(_processes.ToList(), _readyTimeout, progress);
        if (_options.CoordinatorSilos > 1)
        {
            // Started once the first silo is up, so the two do not create the Orleans schema at the same time.
            // Its own gRPC/REST/silo ports; every other process keeps calling the first silo.
            var first = _launches["coordinator"];
            var secondRest = Loopback(ports[Services.Count * 2 + 5]);
            var second = new Dictionary<string, string>(first.Environment)
            {
                ["Kestrel__Endpoints__Grpc__Url"] = Loopback(ports[Services.Count * 2 + 4]).ToString().TrimEnd('/'),
                ["Kestrel__Endpoints__Rest__Url"] = secondRest.ToString().TrimEnd('/'),
                ["Orleans__SiloPort"] = ports[Services.Count * 2 + 6].ToString(CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = ports[Services.Count * 2 + 7].ToString(CultureInfo.InvariantCulture),
                ["Database__DataDirectory"] = Path.Combine(RootDirectory, "data", SecondSilo),
            };
            Directory.CreateDirectory(second["Database__DataDirectory"]);
            _grpcAddresses[SecondSilo] = Loopback(ports[Services.Count * 2 + 4]);
            var started = Launch(SecondSilo, first.Dll, secondRest, second, logs);
            progress.WriteLine($"Started {SecondSilo} (pid {started.ProcessId}, {started.RestAddress}) in the same Orleans cluster");
            await WaitProcessesReadyAsync([started], _readyTimeout, progress);
        }
    }

    private SuiteProcess Launch(string name, string dll, Uri rest, Dictionary<string, string> environment, string logs)
    {
        // Every process tells its allocations and collections (/debug/runtime) to the bench's cost meter.
        environment["Diagnostics__RuntimeCounters"] = "true";
        var process = SuiteProcess.Start(name, dll, rest, environment, logs);
        _launches[name] = (dll, rest, environment);
        _processes.Add(process);
        return process;
    }

    private Dictionary<string, string> GatewayEnvironment(Uri gatewayRest, Uri gatewayGrpc, Dictionary<string, Uri> grpc, Dictionary<string, Uri> rest)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Kestrel__Endpoints__Rest__Url"] = gatewayRest.ToString().TrimEnd('/'),
            ["Kestrel__Endpoints__Grpc__Url"] = gatewayGrpc.ToString().TrimEnd('/'),
            ["Gateway__DataDirectory"] = Path.Combine(RootDirectory, "data", "gateway"),
            ["Gateway__SigningKeyPem"] = Secrets.SigningKeyPem,
            ["Gateway__GenerateSigningKeyIfMissing"] = "false",
            ["Gateway__ApiKeys__e2e-operator__Sha256"] = SuiteSecrets.Sha256Hex(Secrets.ApiKey),
            ["Gateway__ApiKeys__e2e-operator__Roles__0"] = "operator",
            ["Gateway__ApiKeys__e2e-operator__Roles__1"] = "integrator",
            ["Gateway__Jwt__Authority"] = rest["identity"].ToString(),
            // The scenarios make a few hundred calls in bursts; the default bucket is for real clients.
            ["Gateway__RateLimit__TokenLimit"] = "100000",
            ["Gateway__RateLimit__TokensPerPeriod"] = "100000",
        };
        foreach (var service in Services)
        {
            environment[$"Gateway__ServiceClients__{service}__SecretSha256"] = SuiteSecrets.Sha256Hex(Secrets.ClientSecret(service));
            environment[$"Gateway__ServiceClients__{service}__Roles__0"] = "service";
            // The service-discovery keys replace each cluster's configured destinations (rather than adding to them).
            environment[$"services__{service}__http__0"] = rest[service].ToString().TrimEnd('/');
            environment[$"services__{service}__grpc__0"] = grpc[service].ToString().TrimEnd('/');
        }
        foreach (var (key, value) in _options.GatewayEnvironment)
        {
            environment[key] = value;
        }
        return environment;
    }

    /// <summary>On PostgreSQL: one fresh database per service and one for Orleans; none on SQLite.</summary>
    private async Task<Dictionary<string, string>> DatabasesAsync()
    {
        var result = new Dictionary<string, string>();
        if (Database != DatabaseKind.Postgres)
        {
            return result;
        }
        if (_options.Databases.Count > 0)
        {
            // Existing databases (e.g. restored from backups): every service's and the Orleans one must be named, but
            // notifications may start on a fresh one (it keeps messages, not facts the others depend on).
            var missing = Services.Where(s => s is not ("coordinator" or "notifications")).Append("orleans").Where(s => !_options.Databases.ContainsKey(s)).ToList();
            if (missing.Count > 0)
            {
                throw new ArgumentException($"SuiteOptions.Databases names no database for {string.Join(", ", missing)}.");
            }
            var given = new Dictionary<string, string>(_options.Databases);
            if (!given.ContainsKey("notifications"))
            {
                given["notifications"] = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("e2e_notifications");
            }
            return given;
        }
        var server = await PostgresServer.GetAsync();
        foreach (var service in Services.Where(s => s != "coordinator").Append("orleans"))
        {
            result[service] = await server.CreateDatabaseAsync("e2e_" + service);
        }
        return result;
    }

    private async Task<TimeSpan> WaitProcessesReadyAsync(List<SuiteProcess> processes, TimeSpan timeout, TextWriter progress)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        var last = processes.ToDictionary(p => p.Name, _ => "no answer yet");
        var pending = processes.ToList();
        while (pending.Count > 0)
        {
            foreach (var process in pending.ToList())
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{process.Name} exited before it was ready.{Environment.NewLine}{DescribeProcesses()}");
                }
                if (!process.IsListening)
                {
                    // Not bound yet: whatever answers on its port now is not this process.
                    last[process.Name] = "not listening yet";
                    continue;
                }
                try
                {
                    using var response = await http.GetAsync(new Uri(process.RestAddress, "/readyz"));
                    var body = await response.Content.ReadAsStringAsync();
                    last[process.Name] = $"HTTP {(int)response.StatusCode}: {(body.Length > 1500 ? body[..1500] : body)}";
                    if (response.IsSuccessStatusCode)
                    {
                        pending.Remove(process);
                        progress.WriteLine($"{process.Name} ready after {watch.Elapsed.TotalSeconds:0.0} s");
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    last[process.Name] = exception.Message;
                }
            }
            if (pending.Count == 0)
            {
                break;
            }
            if (watch.Elapsed > timeout)
            {
                var detail = string.Join(Environment.NewLine, pending.Select(p => $"{p.Name}: last /readyz {last[p.Name]}{Environment.NewLine}{p.Describe()}"));
                throw new TimeoutException($"Not ready within {timeout.TotalSeconds:0} s: {string.Join(", ", pending.Select(p => p.Name))}.{Environment.NewLine}{detail}");
            }
            await Task.Delay(250);
        }
        return watch.Elapsed;
    }

    private static string ServiceDll(string service)
    {
        var name = "Bimtek." + char.ToUpperInvariant(service[0]) + service[1..];
        return Path.Combine(RepositoryRoot(), "services", name, "bin", BuildConfiguration(), "net10.0", name + ".dll");
    }

    private static string GatewayDll() =>
        Path.Combine(RepositoryRoot(), "gateway", "Bimtek.Gateway", "bin", BuildConfiguration(), "net10.0", "Bimtek.Gateway.dll");

    private static string BuildConfiguration() =>
        typeof(SuiteProcesses).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BuildConfiguration")?.Value is { Length: > 0 } configuration ? configuration : "Debug";

    private static string RepositoryRoot()
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

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
}

/// <summary>How to start the suite; the defaults are the single-silo suite of the end-to-end tests.</summary>
public sealed record SuiteOptions
{
    public static SuiteOptions Default { get; } = new();

    /// <summary>1, or 2 for a second coordinator silo (<see cref="SuiteProcesses.SecondSilo"/>) in the same Orleans cluster (PostgreSQL only).</summary>
    public int CoordinatorSilos { get; init; } = 1;

    /// <summary>Extra environment for every service process (not the gateway), e.g. shorter relay back-offs; added last.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Extra environment for one service process (by service name), added after <see cref="Environment"/>: e.g.
    /// <c>Notifications__ClockOffset</c> to run notifications (only) on a shifted clock.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ServiceEnvironment { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>
    /// Extra gateway settings as environment variables (e.g. <c>Gateway__Jwt__Issuer</c> for a test issuer of people's
    /// tokens); added last, so they may also replace the launcher's own.
    /// </summary>
    public IReadOnlyDictionary<string, string> GatewayEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// On PostgreSQL: existing databases to start on (connection strings by service name, plus <c>orleans</c>), e.g.
    /// ones restored from backups; empty (the default) = a fresh database per service on the shared test server.
    /// </summary>
    public IReadOnlyDictionary<string, string> Databases { get; init; } = new Dictionary<string, string>();
}
