using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Forwarder;

namespace Bimtek.Gateway.Tests.Support;

/// <summary>
/// The real gateway (<see cref="Program"/>, its appsettings.json routes and clusters) in-process, with each
/// cluster's destinations pointed at the stand-in backends through <see cref="BackendRouter"/>.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly Factory _factory;

    public GatewayHost(FakeBackends backends, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        Router = new BackendRouter(backends);
        var settings = new Dictionary<string, string?>(Callers.GatewayConfiguration())
        {
            ["Gateway:RateLimit:TokenLimit"] = "100000",
            ["Gateway:RateLimit:TokensPerPeriod"] = "100000",
        };
        foreach (var service in ProtoRoutes.ServiceNames)
        {
            settings[$"ReverseProxy:Clusters:{service}-rest:Destinations:{service}-rest-0:Address"] = BackendRouter.RestAddress(service);
            settings[$"ReverseProxy:Clusters:{service}-grpc:Destinations:{service}-grpc-0:Address"] = BackendRouter.GrpcAddress(service);
        }
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        _factory = new Factory(settings, services =>
        {
            services.RemoveAll<IForwarderHttpClientFactory>();
            services.AddSingleton<IForwarderHttpClientFactory>(Router);
        });
        _ = _factory.Server;
    }

    public BackendRouter Router { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>A client sending an API key (<paramref name="apiKey"/>) or a bearer token, or neither.</summary>
    public HttpClient Client(string? apiKey = null, string? bearer = null)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }

    public HttpClient ClientFor(string role) => Client(apiKey: Callers.ApiKeyFor(role));

    /// <summary>A gRPC channel into the gateway carrying an API key.</summary>
    public GrpcChannel Channel(string? apiKey)
    {
        HttpMessageHandler handler = _factory.Server.CreateHandler();
        if (apiKey is not null)
        {
            handler = new ApiKeyHandler(apiKey) { InnerHandler = handler };
        }
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private sealed class ApiKeyHandler(string apiKey) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Api-Key", apiKey);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> configureServices)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(configureServices);
        }
    }
}

/// <summary>
/// YARP's outgoing client in the tests: sends each request to the in-process backend its destination address
/// names (<c>http://{service}-rest.test</c>, <c>http://{service}-grpc.test</c>). A backend can be stopped
/// (connections refused) or made to hang (never answers) to test the gateway's failure answers.
/// </summary>
public sealed class BackendRouter(FakeBackends backends) : IForwarderHttpClientFactory
{
    private readonly ConcurrentDictionary<string, Mode> _modes = new();

    public enum Mode
    {
        Up,
        Stopped,
        Hanging,
    }

    public static string RestAddress(string service) => $"http://{service}-rest.test";

    public static string GrpcAddress(string service) => $"http://{service}-grpc.test";

    /// <summary>Requests forwarded to a service so far (health probes not counted).</summary>
    public int Requests(string service) => _requests.GetValueOrDefault(service);

    public int TotalRequests => _requests.Values.Sum();

    private readonly ConcurrentDictionary<string, int> _requests = new();

    public void Set(string service, Mode mode) => _modes[service] = mode;

    /// <summary>Sends a service's traffic to another host (a real service) instead of its stand-in.</summary>
    public void Replace(string service, Bimtek.Testing.Hosting.TestHost host)
    {
        _replacements[service] = host;
        _invokers.TryRemove(service, out _);
    }

    public HttpMessageInvoker CreateClient(ForwarderHttpClientContext context) => new(new Dispatcher(this), disposeHandler: true);

    private sealed class Dispatcher(BackendRouter router) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = request.RequestUri!.Host;
            var service = host[..host.IndexOf('-', StringComparison.Ordinal)];
            if (request.RequestUri.AbsolutePath is not ("/healthz" or "/readyz"))
            {
                router._requests.AddOrUpdate(service, 1, (_, n) => n + 1);
            }
            switch (router._modes.GetValueOrDefault(service))
            {
                case Mode.Stopped:
                    throw new HttpRequestException($"Connection refused ({host}: test backend stopped)");
                case Mode.Hanging:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
            }
            var invoker = router._invokers.GetOrAdd(service, name =>
                new HttpMessageInvoker((router._replacements.GetValueOrDefault(name) ?? router._backends[name]).CreateHandler()));
            return await invoker.SendAsync(request, cancellationToken);
        }
    }

    private readonly FakeBackends _backends = backends;
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _invokers = new();
    private readonly ConcurrentDictionary<string, Bimtek.Testing.Hosting.TestHost> _replacements = new();
}
