using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Bimtek.Deploy.Tests;

/// <summary>
/// The Kustomize manifests (deploy/kubernetes) read as Kustomize would render them, without a cluster: every
/// service present with the settings it reads, probes on the real health endpoints, the images the Dockerfile
/// builds, secrets only from generated Secrets whose files are never committed.
/// </summary>
public sealed partial class KubernetesTests
{
    private static readonly string _folder = RepositoryFiles.PathOf("deploy", "kubernetes");
    private static readonly Dictionary<object, object> _kustomization = Load(Path.Combine(_folder, "kustomization.yaml")).Single();
    private static readonly List<Dictionary<object, object>> _resources =
        [.. List(_kustomization, "resources").Cast<string>().SelectMany(r => Load(Path.Combine(_folder, r)))];
    private static readonly ComposeFile _compose = ComposeFile.Load(RepositoryFiles.PathOf("deploy", "compose.yaml"));

    /// <summary>Compose service → Kubernetes Deployment (the two compose silos are one Deployment of two replicas).</summary>
    private static string DeploymentName(string composeService) => Regex.Replace(composeService, "-[0-9]+$", "");

    private static IEnumerable<Dictionary<object, object>> OfKind(string kind) => _resources.Where(r => (string)r["kind"] == kind);

    private static Dictionary<object, object> Deployment(string name) =>
        OfKind("Deployment").SingleOrDefault(d => Name(d) == name) ?? throw new Xunit.Sdk.XunitException($"no Deployment {name}");

    private static Dictionary<object, object> Container(Dictionary<object, object> deployment) =>
        (Dictionary<object, object>)List(Map(Map(Map(deployment, "spec"), "template"), "spec"), "containers").Single();

    [Fact]
    public void Every_compose_service_is_a_deployment_with_a_service_a_disruption_budget_and_a_network_policy()
    {
        var expected = _compose.Services.Keys.Where(s => s != "postgres").Select(DeploymentName).Distinct().Order().ToList();

        Assert.Equal(8, expected.Count);
        Assert.Equal(expected, OfKind("Deployment").Select(Name).Order());
        foreach (var kind in new[] { "Service", "PodDisruptionBudget", "NetworkPolicy" })
        {
            Assert.All(expected, name => Assert.Contains(name, OfKind(kind).Select(Name)));
        }
        // Stateless services and the gateway scale on CPU; the coordinator's silos are sized by hand.
        Assert.Equal(expected.Where(n => n != "coordinator"), OfKind("HorizontalPodAutoscaler").Select(Name).Order());
        Assert.Contains(OfKind("NetworkPolicy"), p => Name(p) == "default-deny-ingress");
    }

    [Fact]
    public void Every_setting_a_service_reads_and_every_setting_compose_gives_it_is_set()
    {
        var settings = OfKind("ConfigMap").Single();
        var configured = Map(settings, "data").Keys.Cast<string>().ToHashSet();
        foreach (var (composeName, service) in _compose.Services.Where(s => s.Key != "postgres"))
        {
            var container = Container(Deployment(DeploymentName(composeName)));
            var env = List(container, "env").Cast<Dictionary<object, object>>().Select(e => (string)e["name"]).ToHashSet();
            env.UnionWith(configured);
            var required = ComposeTests.RequiredSettings(ComposeFile.BuildArgs(service)["PROJECT"]).ToList();
            Assert.All(required, key => Assert.True(env.Contains(key), $"{composeName}: {key} is not set"));
            // A second instance's address (__1) is the Service's business on Kubernetes; so is TLS, which the Ingress
            // terminates there (compose's Kestrel HTTPS and redirect endpoints: TlsTests).
            foreach (var key in ComposeFile.Environment(service).Keys.Where(k => !k.EndsWith("__1", StringComparison.Ordinal) && !TlsTests.IsComposeTlsSetting(k)))
            {
                Assert.True(env.Contains(key), $"{composeName}: compose sets {key}, the Kubernetes manifest does not");
            }
        }
    }

    [Fact]
    public void Probes_point_at_the_health_endpoints_on_the_port_kestrel_serves_rest_on()
    {
        var health = File.ReadAllText(RepositoryFiles.PathOf("services", "Bimtek.ServiceDefaults", "Health", "HealthEndpoints.cs"));
        Assert.Contains("\"/readyz\"", health);
        Assert.Contains("\"/healthz\"", health);
        foreach (var deployment in OfKind("Deployment"))
        {
            var container = Container(deployment);
            var env = List(container, "env").Cast<Dictionary<object, object>>().Where(e => e.ContainsKey("value"))
                .ToDictionary(e => (string)e["name"], e => (string)e["value"]);
            var restPort = new Uri(env["Kestrel__Endpoints__Rest__Url"]).Port;
            var ports = List(container, "ports").Cast<Dictionary<object, object>>().ToDictionary(p => (string)p["name"], p => int.Parse((string)p["containerPort"], System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (probe, path) in new[] { ("readinessProbe", "/readyz"), ("livenessProbe", "/healthz"), ("startupProbe", "/healthz") })
            {
                var get = Map(Map(container, probe), "httpGet");
                Assert.Equal(path, (string)get["path"]);
                Assert.Equal(restPort, ports[(string)get["port"]]);
            }
            var resources = Map(container, "resources");
            Assert.True(Map(resources, "requests").ContainsKey("memory") && Map(resources, "limits").ContainsKey("memory"), $"{Name(deployment)}: memory request and limit");
        }
    }

    [Fact]
    public void Images_are_the_ones_the_dockerfile_builds_and_the_kustomization_pins_each()
    {
        var built = _compose.Services.Values.Select(s => ComposeFile.BuildArgs(s).GetValueOrDefault("ASSEMBLY")).OfType<string>()
            .Select(a => "bimtek/" + a["Bimtek.".Length..].ToLowerInvariant()).ToHashSet();
        var pinned = List(_kustomization, "images").Cast<Dictionary<object, object>>().Select(i => (string)i["name"]).ToHashSet();
        var readme = File.ReadAllText(Path.Combine(_folder, "README.md"));
        foreach (var deployment in OfKind("Deployment"))
        {
            var image = ((string)Container(deployment)["image"]).Split(':')[0];
            Assert.Contains(image, built);
            Assert.Contains(image, pinned);
            Assert.Contains($"-t \"$REGISTRY/{image}:$TAG\"", readme);
        }
    }

    [Fact]
    public void No_secret_is_written_in_plain_text()
    {
        Assert.Empty(OfKind("Secret"));
        var generated = List(_kustomization, "secretGenerator").Cast<Dictionary<object, object>>().ToList();
        var generatedNames = generated.Select(g => (string)g["name"]).ToHashSet();
        var sources = generated.SelectMany(g => (g.TryGetValue("files", out var f) ? (List<object>)f : []).Concat(g.TryGetValue("envs", out var e) ? (List<object>)e : []))
            .Cast<string>().Select(s => s.Split('=').Last()).ToList();
        Assert.All(sources, s => Assert.StartsWith("secrets/", s));
        Assert.Contains("deploy/kubernetes/secrets/", File.ReadAllLines(RepositoryFiles.PathOf(".gitignore")));

        foreach (var deployment in OfKind("Deployment"))
        {
            var podSpec = Map(Map(Map(deployment, "spec"), "template"), "spec");
            var container = Container(deployment);
            var mounts = List(container, "volumeMounts").Cast<Dictionary<object, object>>().Select(m => (string)m["mountPath"]).ToHashSet();
            foreach (var variable in List(container, "env").Cast<Dictionary<object, object>>())
            {
                var name = (string)variable["name"];
                if (variable.TryGetValue("value", out var v))
                {
                    var value = (string)v;
                    Assert.DoesNotMatch("(?i)password=|-----BEGIN", value);
                    Assert.DoesNotMatch("(?i)secret$|password|sha256$", name);
                    // Every file a setting names is mounted from a Secret.
                    foreach (Match file in SecretFile().Matches(value))
                    {
                        Assert.True(mounts.Contains(file.Value), $"{Name(deployment)}: {name} names {file.Value}, which is not mounted");
                    }
                }
                else
                {
                    var secret = (string)Map(Map(variable, "valueFrom"), "secretKeyRef", optional: true)?["name"]!;
                    Assert.True(secret is null || generatedNames.Contains(secret), $"{Name(deployment)}: {name} reads Secret {secret}, which is not generated");
                }
            }
            foreach (var volume in List(podSpec, "volumes").Cast<Dictionary<object, object>>())
            {
                Assert.Contains((string)Map(volume, "secret")["secretName"], generatedNames);
            }
        }
    }

    /// <summary>
    /// Consistent with compose's TLS (TlsTests): on Kubernetes the Ingress terminates TLS for the gateway and identity's
    /// sign-in pages, with a certificate from a Secret and HTTP redirected, and no pod serves HTTPS itself.
    /// </summary>
    [Fact]
    public void The_ingress_terminates_TLS_for_both_published_services_and_redirects_HTTP()
    {
        var ingress = OfKind("Ingress").Single();
        var annotations = Map(Map(ingress, "metadata"), "annotations");
        Assert.Equal("true", annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"]);
        var spec = Map(ingress, "spec");
        var tlsHosts = List(spec, "tls").Cast<Dictionary<object, object>>().SelectMany(t => ((List<object>)t["hosts"]).Cast<string>()).ToHashSet();
        Assert.All(List(spec, "tls").Cast<Dictionary<object, object>>(), t => Assert.False(string.IsNullOrEmpty((string)t["secretName"])));
        var rules = List(spec, "rules").Cast<Dictionary<object, object>>().ToList();
        Assert.Equal(["gateway", "identity"], rules.SelectMany(r => List(Map(r, "http"), "paths").Cast<Dictionary<object, object>>())
            .Select(p => (string)Map(Map(p, "backend"), "service")["name"]).Order());
        Assert.All(rules, r => Assert.Contains((string)r["host"], tlsHosts));
        foreach (var deployment in OfKind("Deployment"))
        {
            var names = List(Container(deployment), "env").Cast<Dictionary<object, object>>().Select(e => (string)e["name"]);
            Assert.DoesNotContain(names, TlsTests.IsComposeTlsSetting);
        }
    }

    /// <summary>
    /// Production runs two or more replicas on Kubernetes, so its photos go to the S3-compatible store: every setting of
    /// <c>S3MediaOptions</c> that the store needs is set, the access key from a generated Secret and the secret key from a
    /// file mounted from it (never a value in the manifest). Compose keeps one production and the disk store on a volume.
    /// </summary>
    [Fact]
    public void Production_keeps_its_photos_in_the_s3_store_on_kubernetes_with_its_keys_from_a_secret_and_on_a_volume_in_compose()
    {
        var code = File.ReadAllText(RepositoryFiles.PathOf("services", "Bimtek.Production", "Data", "S3MediaStore.cs"));
        var options = S3Option().Matches(code[code.IndexOf("class S3MediaOptions", StringComparison.Ordinal)..code.IndexOf("class S3MediaStore", StringComparison.Ordinal)])
            .Select(m => m.Groups["name"].Value).ToList();
        Assert.Contains("SecretKeyFile", options);
        var deployment = Deployment("production");
        Assert.True(int.Parse((string)Map(deployment, "spec")["replicas"], System.Globalization.CultureInfo.InvariantCulture) >= 2);
        var container = Container(deployment);
        var env = List(container, "env").Cast<Dictionary<object, object>>().ToDictionary(e => (string)e["name"]);
        Assert.Equal("s3", (string)env["Photos__Store"]["value"]);
        // Every option but the ones with a usable default or another way in (SecretKey: the file instead).
        foreach (var option in options.Except(["SecretKey"]))
        {
            Assert.True(env.ContainsKey("Photos__S3__" + option), $"production: Photos__S3__{option} is not set");
        }
        Assert.False(env.ContainsKey("Photos__S3__SecretKey"), "the secret key must come from the mounted file, not a variable");
        var accessKey = Map(Map(env["Photos__S3__AccessKey"], "valueFrom"), "secretKeyRef");
        Assert.Equal("bimtek-photos-s3", (string)accessKey["name"]);
        var secretFile = (string)env["Photos__S3__SecretKeyFile"]["value"];
        var mount = List(container, "volumeMounts").Cast<Dictionary<object, object>>().Single(m => (string)m["mountPath"] == secretFile);
        var volume = List(Map(Map(Map(deployment, "spec"), "template"), "spec"), "volumes").Cast<Dictionary<object, object>>()
            .Single(v => (string)v["name"] == (string)mount["name"]);
        Assert.Equal("bimtek-photos-s3", (string)Map(volume, "secret")["secretName"]);
        var generated = List(_kustomization, "secretGenerator").Cast<Dictionary<object, object>>().Single(g => (string)g["name"] == "bimtek-photos-s3");
        Assert.Equal(["access-key", "secret-key"], ((List<object>)generated["files"]).Cast<string>().Select(f => f.Split('=')[0]).Order());
        // The settings the variables name are in the ConfigMap.
        var configured = Map(OfKind("ConfigMap").Single(), "data").Keys.Cast<string>().ToHashSet();
        foreach (var value in env.Values.Where(e => ((string)e["name"]).StartsWith("Photos__", StringComparison.Ordinal) && e.ContainsKey("value")).Select(e => (string)e["value"]))
        {
            foreach (Match reference in Regex.Matches(value, @"\$\((?<name>[A-Z0-9_]+)\)"))
            {
                Assert.Contains(reference.Groups["name"].Value, configured);
            }
        }
        Assert.Contains("bimtek-photos-s3", File.ReadAllText(Path.Combine(_folder, "README.md")));

        // Compose: the disk store (the default), on a named volume so photos survive a re-created container.
        var production = _compose.Services["production"];
        Assert.False(ComposeFile.Environment(production).TryGetValue("Photos__Store", out var store) && store != "disk");
        Assert.Contains(List(production, "volumes").Cast<string>(), v => v.EndsWith(":/data", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"public (string|bool) (?<name>[A-Za-z]+) \{ get; set; \}")]
    private static partial Regex S3Option();

    [GeneratedRegex("/run/secrets/[a-z_]+")]
    private static partial Regex SecretFile();

    private static string Name(Dictionary<object, object> resource) => (string)Map(resource, "metadata")["name"];

    private static Dictionary<object, object> Map(Dictionary<object, object> parent, string key) => Map(parent, key, optional: false)!;

    private static Dictionary<object, object>? Map(Dictionary<object, object> parent, string key, bool optional) =>
        parent.TryGetValue(key, out var value) ? (Dictionary<object, object>)value
        : optional ? null : throw new Xunit.Sdk.XunitException($"'{key}' missing");

    private static List<object> List(Dictionary<object, object> parent, string key) =>
        parent.TryGetValue(key, out var value) ? (List<object>)value : [];

    /// <summary>Every document of a YAML file, as plain maps.</summary>
    private static List<Dictionary<object, object>> Load(string path)
    {
        using var reader = new StreamReader(path);
        var parser = new Parser(reader);
        var deserializer = new DeserializerBuilder().Build();
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(deserializer.Deserialize<Dictionary<object, object>>(parser));
        }
        return documents;
    }
}
