using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Bimtek.Gateway.Hosting;

/// <summary>
/// The programme dashboard: static files (wwwroot) served anonymously at <c>/</c>. They hold no data — the page
/// calls the <c>/api/v1</c> routes with the signed-in user's credential, and those keep their policies. The files
/// are served before routing, so the fallback policy (and the 404 fallback) still answer every other path.
/// </summary>
public static class DashboardHosting
{
    /// <summary>
    /// Scripts, styles and calls from this origin only — and calls to the identity service's token endpoint when
    /// people sign in through it; no inline code, no framing, no plugins.
    /// </summary>
    public static string ContentSecurityPolicyFor(string? authority)
    {
        var identity = Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? " " + uri.GetLeftPart(UriPartial.Authority) : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'" + identity + "; " +
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    }

    /// <summary>Where identity sends the browser back after sign-in (<c>wwwroot/auth.js</c> asks for it).</summary>
    public const string SignInCallbackPath = "/signin-callback.html";

    public static WebApplication UseDashboard(this WebApplication app)
    {
        var files = DashboardFiles(app.Environment);
        var policy = ContentSecurityPolicyFor(app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Jwt.Authority);
        // The sign-in redirect URI registered with identity is the dashboard page itself under its own name.
        app.Use((context, next) =>
        {
            if (context.Request.Path == SignInCallbackPath)
            {
                context.Request.Path = "/index.html";
            }
            return next();
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Small files that change with every release: always revalidate.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    /// <summary>
    /// <c>GET /dashboard-config.json</c> (anonymous): where the page signs people in — the identity service's issuer
    /// (<c>Gateway:Jwt:Authority</c>, as browsers reach it) and the public client registered for the dashboard
    /// (<c>Gateway:DashboardClientId</c>). Without an authority the page offers the API key only.
    /// </summary>
    public static WebApplication MapDashboardConfig(this WebApplication app)
    {
        app.MapGet("/dashboard-config.json", (IOptions<GatewayOptions> options) =>
        {
            var settings = options.Value;
            return Results.Json(new DashboardConfig(string.IsNullOrWhiteSpace(settings.Jwt.Authority) ? null : settings.Jwt.Authority, settings.DashboardClientId));
        }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// The project's wwwroot when run from the source tree (content root), else the copy in the build output
    /// (the suite and deployments start the built dll from elsewhere).
    /// </summary>
    private static IFileProvider DashboardFiles(IWebHostEnvironment environment)
    {
        if (environment.WebRootFileProvider.GetFileInfo("index.html").Exists)
        {
            return environment.WebRootFileProvider;
        }
        var output = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return Directory.Exists(output) ? new PhysicalFileProvider(output) : new NullFileProvider();
    }
}

/// <summary>What the dashboard needs to sign people in.</summary>
public sealed record DashboardConfig(string? Authority, string ClientId);
