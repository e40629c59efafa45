namespace Bimtek.Deploy.Tests;

/// <summary>
/// TLS in compose (README, TLS), checked in the compose file: the gateway and identity's sign-in pages publish HTTPS
/// only, from Kestrel endpoints whose certificate and key are compose secrets; the gateway's one published plain-HTTP
/// port is the endpoint that only redirects to HTTPS. .ci/deploy-test checks the behaviour on the running deployment
/// (the secret's certificate, HTTP/2, the 308 redirect, HSTS).
/// </summary>
public sealed class TlsTests
{
    private static readonly ComposeFile _compose = ComposeFile.Load(RepositoryFiles.PathOf("deploy", "compose.yaml"));

    [Fact]
    public void The_gateway_publishes_HTTPS_with_the_certificate_from_secrets_and_plain_HTTP_only_as_a_redirect()
    {
        var gateway = _compose.Services["gateway"];
        var environment = ComposeFile.Environment(gateway);
        var https = Endpoint(environment, "Https");
        var redirect = Endpoint(environment, "Redirect");

        Assert.Equal("https", https.Scheme);
        Assert.Equal("Http1AndHttp2", environment["Kestrel__Endpoints__Https__Protocols"]);
        AssertCertificateFromSecrets(gateway, environment);
        Assert.Equal("http", redirect.Scheme);
        Assert.Equal(redirect.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), environment["Gateway__Https__RedirectFromPort"]);
        // The redirect's target is the HTTPS port as published.
        Assert.Equal("${GATEWAY_HTTPS_PORT:-443}", environment["Gateway__Https__PublicPort"]);

        var published = PublishedContainerPorts(gateway);
        Assert.Equal(new[] { https.Port, redirect.Port }.Order(), published.Order());
        Assert.Contains("${GATEWAY_HTTPS_PORT:-443}:" + https.Port, Ports(gateway));
        // The plain endpoints the services use inside the network are not published.
        Assert.DoesNotContain(Endpoint(environment, "Rest").Port, published);
        Assert.DoesNotContain(Endpoint(environment, "Grpc").Port, published);
    }

    [Fact]
    public void Identity_publishes_its_sign_in_pages_over_HTTPS_only()
    {
        var identity = _compose.Services["identity"];
        var environment = ComposeFile.Environment(identity);
        var https = Endpoint(environment, "Https");

        Assert.Equal("https", https.Scheme);
        AssertCertificateFromSecrets(identity, environment);
        Assert.Equal([https.Port], PublishedContainerPorts(identity));
    }

    [Fact]
    public void The_env_example_says_how_to_make_the_certificate_and_every_public_address_is_https()
    {
        var example = File.ReadAllLines(RepositoryFiles.PathOf("deploy", ".env.example"));
        var commands = example.Where(l => l.StartsWith("#   ", StringComparison.Ordinal)).ToList();
        Assert.Contains(commands, c => c.Contains("openssl req -x509", StringComparison.Ordinal) && c.Contains("-keyout deploy/secrets/gateway-tls.key", StringComparison.Ordinal)
            && c.Contains("-out deploy/secrets/gateway-tls.crt", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("chown 1654:1654 deploy/secrets/gateway-tls.key", StringComparison.Ordinal));
        foreach (var name in new[] { "IDENTITY_PUBLIC_URL", "DASHBOARD_URL" })
        {
            Assert.StartsWith("https://", example.Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..]);
        }
        var secrets = (Dictionary<object, object>)_compose.Root["secrets"];
        Assert.Equal("./secrets/gateway-tls.crt", ((Dictionary<object, object>)secrets["gateway_tls_certificate"])["file"]);
        Assert.Equal("./secrets/gateway-tls.key", ((Dictionary<object, object>)secrets["gateway_tls_key"])["file"]);
    }

    /// <summary>Compose's own TLS termination (Kestrel's HTTPS and redirect endpoints), which Kubernetes leaves to its Ingress.</summary>
    public static bool IsComposeTlsSetting(string key) =>
        key.StartsWith("Kestrel__Endpoints__Https__", StringComparison.Ordinal)
        || key.StartsWith("Kestrel__Endpoints__Redirect__", StringComparison.Ordinal)
        || key.StartsWith("Gateway__Https__", StringComparison.Ordinal);

    private static void AssertCertificateFromSecrets(Dictionary<object, object> service, IReadOnlyDictionary<string, string> environment)
    {
        var mounted = ((List<object>)service["secrets"]).Cast<string>().ToList();
        Assert.Equal("/run/secrets/gateway_tls_certificate", environment["Kestrel__Endpoints__Https__Certificate__Path"]);
        Assert.Equal("/run/secrets/gateway_tls_key", environment["Kestrel__Endpoints__Https__Certificate__KeyPath"]);
        Assert.Contains("gateway_tls_certificate", mounted);
        Assert.Contains("gateway_tls_key", mounted);
    }

    private static Uri Endpoint(IReadOnlyDictionary<string, string> environment, string name) =>
        new(environment[$"Kestrel__Endpoints__{name}__Url"].Replace("0.0.0.0", "host", StringComparison.Ordinal));

    private static List<string> Ports(Dictionary<object, object> service) => ((List<object>)service["ports"]).Cast<string>().ToList();

    private static List<int> PublishedContainerPorts(Dictionary<object, object> service) =>
        [.. Ports(service).Select(p => int.Parse(p[(p.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture))];
}
