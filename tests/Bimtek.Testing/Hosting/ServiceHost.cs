using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bimtek.Testing.Hosting;

/// <summary>
/// A real service (its <c>Program</c>) hosted in-process on a test database, trusting
/// <see cref="TestTokens"/>, with its calls to other services routed by <see cref="Downstream"/>.
/// Dispose and start another on the same <see cref="TestDatabase"/> to simulate a restart.
/// </summary>
public sealed class ServiceHost<TProgram> : TestHost where TProgram : class
{
    private readonly Factory _factory;

    public ServiceHost(TestDatabase database, Downstream? downstream = null, IReadOnlyDictionary<string, string?>? configuration = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var settings = new Dictionary<string, string?>(TestTokens.HostConfiguration);
        foreach (var (key, value) in database.Configuration)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in downstream?.Configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        _factory = new Factory(settings, services =>
        {
            services.RemoveAll<IServiceTokenSource>();
            services.AddSingleton<IServiceTokenSource>(new TestServiceTokenSource());
            if (downstream is not null)
            {
                services.AddSingleton<IDownstreamHandlerFactory>(downstream);
            }
            configureServices?.Invoke(services);
            if (downstream?.Routes("participants") != true)
            {
                // Without participants, a service that learns programmes' offices from it sees every programme as the default office's.
                StandInProgrammeOffices.ReplaceLearnedOffices(services);
            }
        });
        // Start now, so schema and hosted services run before the first call.
        _ = _factory.Server;
    }

    public override IServiceProvider Services => _factory.Services;

    public override HttpMessageHandler CreateHandler() => _factory.Server.CreateHandler();

    public override async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> configureServices)
        : WebApplicationFactory<TProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(configureServices);
        }
    }
}

/// <summary>Routes a host's gRPC clients for named services to other in-process hosts.</summary>
public sealed class Downstream : IDownstreamHandlerFactory
{
    private readonly Dictionary<string, Func<HttpMessageHandler>> _routes = [];

    public Downstream Route(string serviceName, TestHost host) => Route(serviceName, host.CreateHandler);

    /// <summary>Routes to whatever host currently serves the name (a test may swap it for a restarted one).</summary>
    public Downstream Route(string serviceName, Func<HttpMessageHandler> handler)
    {
        _routes[serviceName] = handler;
        return this;
    }

    public bool Routes(string serviceName) => _routes.ContainsKey(serviceName);

    public IReadOnlyDictionary<string, string?> Configuration =>
        _routes.Keys.ToDictionary(name => $"services:{name}:grpc:0", name => (string?)$"http://{name}.test");

    public HttpMessageHandler? CreateHandler(string serviceName) =>
        _routes.TryGetValue(serviceName, out var create) ? create() : null;
}
