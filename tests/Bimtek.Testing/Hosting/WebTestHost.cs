using Bimtek.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bimtek.Testing.Hosting;

/// <summary>
/// A host built in the test itself (no <c>Program</c>): for the service defaults' own tests and
/// for fake receivers that stand in for services that do not exist yet.
/// </summary>
public sealed class WebTestHost : TestHost
{
    private readonly WebApplication _app;

    private WebTestHost(WebApplication app) => _app = app;

    public override IServiceProvider Services => _app.Services;

    public override HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public static async Task<WebTestHost> StartAsync(
        Action<WebApplicationBuilder> configureBuilder,
        Action<WebApplication> configureApp,
        IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(TestTokens.HostConfiguration);
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }
        configureBuilder(builder);
        builder.Services.RemoveAll<IServiceTokenSource>();
        builder.Services.AddSingleton<IServiceTokenSource>(new TestServiceTokenSource());
        var app = builder.Build();
        configureApp(app);
        await app.StartAsync();
        return new WebTestHost(app);
    }

    public override async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
