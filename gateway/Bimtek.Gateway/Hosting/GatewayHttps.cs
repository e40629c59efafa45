namespace Bimtek.Gateway.Hosting;

/// <summary>
/// HTTPS for people and integrators when the gateway faces them directly (compose; README "TLS"). Kestrel serves
/// TLS from its own endpoint configuration (<c>Kestrel:Endpoints:Https</c> with the certificate's PEM files from
/// secrets); this adds what the endpoint alone does not: a plain-HTTP endpoint that only redirects to HTTPS
/// (<see cref="GatewayHttpsOptions.RedirectFromPort"/>), and Strict-Transport-Security on every HTTPS answer
/// outside Development. Endpoints for the internal network (the services' <c>/connect/token</c>, health checks,
/// h2c gRPC) are left as they are.
/// </summary>
public static class GatewayHttps
{
    public static WebApplicationBuilder AddGatewayHttps(this WebApplicationBuilder builder)
    {
        var settings = Settings(builder.Configuration);
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = settings.HstsMaxAge;
            hsts.IncludeSubDomains = settings.HstsIncludeSubDomains;
        });
        builder.Services.AddHttpsRedirection(redirect =>
        {
            redirect.HttpsPort = settings.PublicPort;
            // 308 keeps the method and body: a POST sent to http:// is repeated as a POST to https://.
            redirect.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
        });
        return builder;
    }

    public static WebApplication UseGatewayHttps(this WebApplication app)
    {
        var settings = Settings(app.Configuration);
        if (settings.RedirectFromPort > 0)
        {
            var port = settings.RedirectFromPort;
            app.UseWhen(context => context.Connection.LocalPort == port && !context.Request.IsHttps, redirect => redirect.UseHttpsRedirection());
        }
        if (!app.Environment.IsDevelopment() && settings.HstsMaxAge > TimeSpan.Zero)
        {
            // Only on HTTPS answers (never on plain HTTP ones); localhost is left out, as browsers would remember it for every local port.
            app.UseHsts();
        }
        return app;
    }

    private static GatewayHttpsOptions Settings(IConfiguration configuration) =>
        configuration.GetSection(GatewayOptions.Section + ":" + GatewayHttpsOptions.Section).Get<GatewayHttpsOptions>() ?? new GatewayHttpsOptions();
}

/// <summary><c>Gateway:Https:*</c>.</summary>
public sealed class GatewayHttpsOptions
{
    public const string Section = "Https";

    /// <summary>Local port of a plain-HTTP Kestrel endpoint whose every request is redirected to HTTPS; 0 = none.</summary>
    public int RedirectFromPort { get; set; }

    /// <summary>The HTTPS port clients reach (as published), the redirects' target.</summary>
    public int PublicPort { get; set; } = 443;

    /// <summary>Strict-Transport-Security max-age; zero sends no header.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public bool HstsIncludeSubDomains { get; set; }
}
