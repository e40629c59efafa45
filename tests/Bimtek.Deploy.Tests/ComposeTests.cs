using System.Text.RegularExpressions;

namespace Bimtek.Deploy.Tests;

/// <summary>
/// The compose file checked against the code, without an engine: every service is in it, every path it names
/// exists, and every setting a service reads is set. The deployment itself runs in .ci/deploy-test.
/// </summary>
public sealed partial class ComposeTests
{
    private static readonly ComposeFile _compose = ComposeFile.Load(RepositoryFiles.PathOf("deploy", "compose.yaml"));

    /// <summary>Runnable projects of the solution: web projects under services/ and gateway/.</summary>
    private static IEnumerable<string> RunnableProjects() =>
        File.ReadAllLines(RepositoryFiles.PathOf("Microservices.sln"))
            .Select(line => SolutionProject().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .Where(path => path.StartsWith("services/", StringComparison.Ordinal) || path.StartsWith("gateway/", StringComparison.Ordinal))
            .Where(path => File.ReadAllText(RepositoryFiles.PathOf(path)).Contains("Microsoft.NET.Sdk.Web", StringComparison.Ordinal));

    [Fact]
    public void Every_runnable_project_of_the_solution_is_built_by_a_compose_service()
    {
        var built = _compose.Services.Values.Select(s => ComposeFile.BuildArgs(s).GetValueOrDefault("PROJECT")).ToHashSet();

        var projects = RunnableProjects().ToList();

        Assert.True(projects.Count >= 6, $"expected the five services and the gateway, found {projects.Count}");
        Assert.All(projects, project => Assert.Contains(project, built));
    }

    [Fact]
    public void Every_dockerfile_and_project_path_exists()
    {
        foreach (var (name, service) in _compose.Services)
        {
            if (!service.TryGetValue("build", out var buildValue))
            {
                continue;
            }
            var build = (Dictionary<object, object>)buildValue;
            var context = Path.GetFullPath(Path.Combine(RepositoryFiles.PathOf("deploy"), (string)build["context"]));
            Assert.True(File.Exists(Path.Combine(context, (string)build["dockerfile"])), $"{name}: dockerfile missing");
            Assert.True(File.Exists(Path.Combine(context, ComposeFile.BuildArgs(service)["PROJECT"])), $"{name}: project missing");
        }
    }

    [Fact]
    public void Every_service_has_a_health_check_and_waits_for_healthy_dependencies()
    {
        foreach (var (name, service) in _compose.Services)
        {
            Assert.True(service.ContainsKey("healthcheck"), $"{name} has no health check");
            if (service.TryGetValue("depends_on", out var dependsOn))
            {
                foreach (var (dependency, condition) in (Dictionary<object, object>)dependsOn)
                {
                    Assert.Equal("service_healthy", ((Dictionary<object, object>)condition)["condition"]);
                }
            }
        }
    }

    [Fact]
    public void Only_the_gateway_and_the_identity_sign_in_pages_publish_ports()
    {
        var publishing = _compose.Services.Where(s => s.Value.ContainsKey("ports")).Select(s => s.Key).Order();

        Assert.Equal(["gateway", "identity"], publishing);
    }

    [Fact]
    public void Two_coordinator_silos_cluster_through_postgres()
    {
        var silos = _compose.Services.Where(s => ComposeFile.BuildArgs(s.Value).GetValueOrDefault("ASSEMBLY") == "Bimtek.Coordinator").ToList();

        Assert.Equal(2, silos.Count);
        Assert.All(silos, s => Assert.Equal("AdoNet", ComposeFile.Environment(s.Value)["Coordinator__Clustering"]));
    }

    [Fact]
    public void Every_setting_a_service_reads_is_set()
    {
        foreach (var (name, service) in _compose.Services)
        {
            var args = ComposeFile.BuildArgs(service);
            if (!args.TryGetValue("PROJECT", out var project))
            {
                continue;
            }
            var environment = ComposeFile.Environment(service);
            foreach (var key in RequiredSettings(project))
            {
                Assert.True(environment.ContainsKey(key) && environment[key].Length > 0, $"{name} does not set {key}");
            }
        }
    }

    [Fact]
    public void Every_variable_the_compose_file_uses_is_documented_in_the_env_example()
    {
        var compose = File.ReadAllText(RepositoryFiles.PathOf("deploy", "compose.yaml"));
        var documented = File.ReadAllLines(RepositoryFiles.PathOf("deploy", ".env.example"))
            .Where(line => line.Contains('=') && !line.TrimStart().StartsWith('#'))
            .Select(line => line[..line.IndexOf('=')])
            .ToHashSet();

        var used = ComposeVariable().Matches(compose).Select(m => m.Groups["name"].Value).ToHashSet();

        Assert.NotEmpty(used);
        Assert.All(used, variable => Assert.Contains(variable, documented));
    }

    /// <summary>
    /// podman-compose (1.0.3, the one Debian 12 ships) substitutes <c>${NAME}</c> and <c>${NAME:-default}</c> only when
    /// the default is not empty: it passes <c>${NAME:-}</c> to the container as those very characters, which is how
    /// <c>Offices__ProvinceDistricts</c> once reached participants as "${OFFICE_PROVINCES:-}" and stopped it starting.
    /// </summary>
    [Fact]
    public void Every_variable_reference_is_one_every_compose_tool_substitutes()
    {
        var compose = File.ReadAllText(RepositoryFiles.PathOf("deploy", "compose.yaml"));

        var references = AnyVariableReference().Matches(compose).Select(m => m.Value).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Matches(SubstitutedEverywhere(), reference));
    }

    /// <summary>
    /// The gateway's clusters point at loopback ports in appsettings.json (local runs). Under compose every
    /// cluster the gateway has must be REPLACED through the service-discovery keys (services__NAME__rest|grpc__N)
    /// with compose services; ReverseProxy__Clusters__…__Destinations keys would only add to the loopback ones.
    /// </summary>
    [Fact]
    public void Every_gateway_cluster_is_pointed_at_compose_services()
    {
        var gateway = _compose.Services.Single(s => ComposeFile.BuildArgs(s.Value).GetValueOrDefault("ASSEMBLY") == "Bimtek.Gateway");
        var environment = ComposeFile.Environment(gateway.Value);
        using var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("gateway", "Bimtek.Gateway", "appsettings.json")));
        var clusters = settings.RootElement.GetProperty("ReverseProxy").GetProperty("Clusters").EnumerateObject().ToList();

        Assert.NotEmpty(clusters);
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("ReverseProxy__Clusters__", StringComparison.Ordinal));
        foreach (var cluster in clusters)
        {
            var metadata = cluster.Value.GetProperty("Metadata");
            var (service, protocol) = (metadata.GetProperty("Service").GetString(), metadata.GetProperty("Protocol").GetString());
            var addresses = environment.Where(e => e.Key.StartsWith($"services__{service}__{protocol}__", StringComparison.Ordinal)).Select(e => new Uri(e.Value)).ToList();
            Assert.True(addresses.Count > 0, $"gateway: no services__{service}__{protocol}__0 for cluster {cluster.Name}");
            Assert.All(addresses, address => Assert.Contains(address.Host, _compose.Services.Keys));
        }
    }

    /// <summary>Two silos that advertise the same address and port declare each other dead.</summary>
    [Fact]
    public void Every_silo_advertises_its_own_service_name()
    {
        var silos = _compose.Services.Where(s => ComposeFile.BuildArgs(s.Value).GetValueOrDefault("ASSEMBLY") == "Bimtek.Coordinator");

        Assert.All(silos, s => Assert.Equal(s.Key, ComposeFile.Environment(s.Value).GetValueOrDefault("Orleans__AdvertisedIPAddress")));
    }

    /// <summary>
    /// podman-compose 1.0.3 leaves <c>${NAME:?}</c> (no message) uninterpolated, so the literal text became a
    /// secret's hash; every required variable carries a message, which both compose implementations accept.
    /// </summary>
    [Fact]
    public void Every_required_variable_says_what_to_set()
    {
        var compose = File.ReadAllText(RepositoryFiles.PathOf("deploy", "compose.yaml"));

        Assert.DoesNotMatch(@"\$\{[A-Z0-9_]+:?\?\}", compose);
    }

    /// <summary>
    /// Least privilege: a service connects with its own role and password file (a secret it mounts, one the
    /// init script reads too), never as the superuser; the superuser's password reaches no service.
    /// </summary>
    [Fact]
    public void No_service_connects_as_the_superuser_and_each_reads_its_own_password_file()
    {
        var postgresSecrets = ((List<object>)_compose.Services["postgres"]["secrets"]).Cast<string>().ToHashSet();
        var initScript = File.ReadAllText(RepositoryFiles.PathOf("deploy", "postgres", "init-databases.sh"));
        var roles = new HashSet<string>();
        foreach (var (name, service) in _compose.Services.Where(s => s.Key != "postgres"))
        {
            var environment = ComposeFile.Environment(service);
            Assert.DoesNotContain(environment.Values, v => v.Contains("POSTGRES_PASSWORD", StringComparison.Ordinal));
            foreach (var (key, value) in environment.Where(e => e.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
            {
                var parts = value.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.OrdinalIgnoreCase);
                Assert.False(parts.ContainsKey("Password"), $"{name} {key}: a password in the environment");
                var role = parts["Username"];
                Assert.NotEqual("postgres", role);
                Assert.Matches("^bimtek_[a-z]+$", role);
                var secret = Path.GetFileName(parts["Passfile"]);
                Assert.Equal($"/run/secrets/{secret}", parts["Passfile"]);
                Assert.Equal($"postgres_{role["bimtek_".Length..]}", secret);
                Assert.Contains(secret, ((List<object>)service["secrets"]).Cast<string>());
                Assert.Contains(secret, postgresSecrets);
                Assert.Contains(role["bimtek_".Length..], initScript);
                roles.Add(role);
            }
        }
        Assert.Equal(7, roles.Count); // six services with a database and the coordinator's Orleans role
    }

    /// <summary>A crashed container comes back by itself, as it would with an operator watching.</summary>
    [Fact]
    public void Every_service_restarts_unless_stopped()
    {
        Assert.All(_compose.Services, s => Assert.Equal("unless-stopped", s.Value.GetValueOrDefault("restart")));
    }

    /// <summary>
    /// What a project reads, from its code: the downstream services it calls (AddServiceClient),
    /// its database, and the identity settings every service needs for its own background calls.
    /// </summary>
    internal static IEnumerable<string> RequiredSettings(string project)
    {
        var folder = Path.GetDirectoryName(RepositoryFiles.PathOf(project))!;
        var code = string.Join('\n', Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        foreach (Match client in ServiceClient().Matches(code))
        {
            yield return $"services__{client.Groups["name"].Value}__grpc__0";
        }
        if (code.Contains("AddServiceDatabase(", StringComparison.Ordinal) || code.Contains("GetConnectionString(\"Postgres\")", StringComparison.Ordinal))
        {
            yield return "ConnectionStrings__Postgres";
        }
        if (code.Contains("GetConnectionString(\"Orleans\")", StringComparison.Ordinal))
        {
            yield return "ConnectionStrings__Orleans";
        }
        if (code.Contains("AddOffices(", StringComparison.Ordinal) || code.Contains("AddProgrammeOffices<", StringComparison.Ordinal))
        {
            // The deployment's offices: the same default office (and provinces) in every service that checks offices.
            yield return "Offices__Default";
            yield return "Offices__ProvinceDistricts";
        }
        if (code.Contains("AddServiceDefaults(", StringComparison.Ordinal))
        {
            yield return "Auth__PublicKeyFile";
            yield return "Auth__TokenEndpoint";
            yield return "Auth__ClientId";
            yield return "Auth__ClientSecret";
        }
    }

    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]+", "(?<path>[^"]+\.csproj)""")]
    private static partial Regex SolutionProject();

    [GeneratedRegex(@"AddServiceClient<[^>]+>\(\s*""(?<name>[a-z]+)""")]
    private static partial Regex ServiceClient();

    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+)(:[-?][^}]*)?\}")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex AnyVariableReference();

    [GeneratedRegex(@"^\$\{[A-Z0-9_]+(:-[^}]+|:\?[^}]+)?\}$")]
    private static partial Regex SubstitutedEverywhere();
}
