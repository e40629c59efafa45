using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bimtek.Load.Measurement;
using Bimtek.Suite;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Load;

/// <summary>
/// Where the calls go: the gateway (always, with the operator+integrator API key) and, when this process
/// started the suite itself, each service directly — REST and gRPC — with tokens signed by the suite's
/// gateway key exactly as the gateway signs them (issuer bimtek-gateway, audience bimtek-services).
/// </summary>
public sealed class Target : IDisposable
{
    private readonly Dictionary<string, GrpcChannel> _channels = [];
    private readonly SecurityKey? _signingKey;

    public Target(Uri gateway, string apiKey, SuiteProcesses? suite)
    {
        Suite = suite;
        Gateway = NewHttpClient(gateway);
        Gateway.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        if (suite is not null)
        {
            var key = ECDsa.Create();
            key.ImportFromPem(suite.Secrets.SigningKeyPem);
            _signingKey = new ECDsaSecurityKey(key);
        }
    }

    public SuiteProcesses? Suite { get; }

    public HttpClient Gateway { get; }

    public bool HasDirectAccess => Suite is not null;

    /// <summary>A gateway-shaped token (valid for an hour) for direct calls to the services.</summary>
    public string Token(string subject, params string[] roles) =>
        TestTokens.Mint(subject, roles, TimeSpan.FromHours(1), key: _signingKey ?? throw new InvalidOperationException("No direct access to the services."));

    public Metadata Bearer(string token) => [new Metadata.Entry("authorization", "Bearer " + token)];

    public GrpcChannel Channel(string service)
    {
        lock (_channels)
        {
            if (!_channels.TryGetValue(service, out var channel))
            {
                var address = Suite?.GrpcAddresses[service] ?? throw new InvalidOperationException("No direct access to the services.");
                channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionLifetime = TimeSpan.FromMinutes(10) },
                });
                _channels[service] = channel;
            }
            return channel;
        }
    }

    /// <summary>An HttpClient straight to a service's REST endpoint with a bearer token.</summary>
    public HttpClient DirectRest(string service, string token)
    {
        var process = Suite?.Processes.Single(p => p.Name == service) ?? throw new InvalidOperationException("No direct access to the services.");
        var client = NewHttpClient(process.RestAddress);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static HttpClient NewHttpClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = 1024,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(180),
    };

    public void Dispose()
    {
        Gateway.Dispose();
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }
}

/// <summary>REST calls that throw <see cref="HttpStatusException"/> on a non-2xx answer (for the error table).</summary>
public static class Http
{
    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string path, CancellationToken ct = default)
    {
        using var response = await client.GetAsync(path, ct);
        return await ReadAsync(response, ct);
    }

    public static async Task<JsonObject> PostJsonAsync(this HttpClient client, string path, JsonObject body, CancellationToken ct = default)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content, ct);
        return await ReadAsync(response, ct);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpStatusException(response.StatusCode, text);
        }
        return string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }
}
