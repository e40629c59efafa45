using Bimtek.Gateway.Contracts;
using Bimtek.Gateway.Errors;
using Bimtek.Gateway.Health;
using Bimtek.Gateway.Limits;
using Bimtek.Gateway.OpenApi;
using Bimtek.Gateway.Proxy;
using Bimtek.Gateway.Security;
using Bimtek.ServiceDefaults.Health;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Telemetry;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bimtek.Gateway.Hosting;

/// <summary>
/// The gateway's wiring. It shares telemetry and the health endpoints with the services but not their
/// authentication: services only accept tokens the gateway signed, while the gateway authenticates the
/// callers themselves (API keys, people's JWTs) — so it does not call <c>AddServiceDefaults</c>.
/// </summary>
public static partial class GatewayHosting
{
    public const string ServiceName = "gateway";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddTelemetry(ServiceName);
        builder.AddGatewayHttps();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.Section));

        builder.AddGatewayAuthentication();
        services.AddGatewayAuthorization();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(new StatusAuthorizationResultHandler(
            "Bearer, ApiKey", "A valid API key (X-Api-Key) or bearer token is required."));
        services.AddGatewayRateLimiting();
        services.AddRequestTimeouts();
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            var settings = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>()?.Cors ?? new CorsOptions();
            policy.WithOrigins([.. settings.AllowedOrigins])
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders(CorrelationId.HeaderName, "Retry-After", "grpc-status", "grpc-message")
                .SetPreflightMaxAge(settings.PreflightMaxAge);
        }));
        DownstreamReadinessCheck.AddDownstreamReadiness(services.AddHealthChecks());
        services.AddGrpcDiscovery();

        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<ServiceDiscoveryConfigFilter>()
            .AddGatewayTransforms()
            .AddMethodNotAllowedBodies();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseGatewayHttps();
        app.UseCorrelationId();
        // Before routing: the page's files are anonymous; everything else meets the policies below.
        app.UseDashboard();
        app.UseRouting();
        app.UseCors();
        app.UseApiDocsUi();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestTimeouts();

        app.MapHealthEndpoints();
        app.MapApiDocs();
        app.MapTokenEndpoint();
        app.MapDashboardConfig();
        app.MapGrpcDiscovery();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(ProxyErrors.HandleAsync);
            proxy.Use(OversizedBodies.HandleAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        // Anything no route claims: the fallback policy demands a caller, who then finds nothing.
        app.MapFallback("{**path}", NotFoundAsync);

        // Resolve the key now: a missing key fails the start, and the local run logs where the pair is.
        _ = app.Services.GetRequiredService<GatewaySigningKey>();
        LogDevelopmentApiKey(app);
        return app;
    }

    private static Task NotFoundAsync(HttpContext context) =>
        GatewayErrors.WriteAsync(context, StatusCodes.Status404NotFound,
            GatewayErrors.IsGrpc(context.Request) ? StatusCode.Unimplemented : StatusCode.NotFound,
            GatewayErrors.NotFound, "No API is served at this path.");

    private static void LogDevelopmentApiKey(WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return;
        }
        var keys = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.ApiKeys;
        var hash = ApiKeyAuthenticationHandler.HashOf(DevelopmentCredentials.ApiKey);
        foreach (var (name, client) in keys.Where(k => string.Equals(k.Value.Sha256, hash, StringComparison.OrdinalIgnoreCase)))
        {
            LogDevelopmentKey(app.Logger, name, string.Join(",", client.Roles), DevelopmentCredentials.ApiKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Development API key for client {Client} (roles {Roles}): send header X-Api-Key: {ApiKey}. Never configure it outside Development.")]
    private static partial void LogDevelopmentKey(ILogger logger, string client, string roles, string apiKey);
}

/// <summary>
/// The documented credentials of the local run (appsettings.Development.json holds only their hashes).
/// Public by design — they open only a developer's own machine.
/// </summary>
public static class DevelopmentCredentials
{
    public const string ApiKey = "bimtek-dev-operator-key";

    /// <summary>Client secret of each service's relay in the local run (as the AppHost passes it): <c>bimtek-dev-{service}-secret</c>.</summary>
    public static string ServiceSecret(string service) => "bimtek-dev-" + service + "-secret";
}
