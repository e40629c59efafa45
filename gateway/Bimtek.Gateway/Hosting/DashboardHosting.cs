using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Bimtek.Gateway.Hosting;

/// <summary>
/// The programme dashboard (wwwroot, at <c>/</c>) and the field app (wwwroot/app, at <c>/app/</c>, an installable
/// offline-first web app with its service worker): static files served anonymously. They hold no data — the pages
/// call the <c>/api/v1</c> routes with the signed-in user's credential, and those keep their policies. The files
/// are served before routing, so the fallback policy (and the 404 fallback) still answer every other path. The API
/// documentation at <c>/docs</c> gets the same security headers.
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
        // blob: images are the field app's previews of photos taken offline (held in IndexedDB until sent);
        // workers come from this origin; media (lesson videos) from this origin or an https site, where lessons keep
        // their videos today (a video cannot run script; no-referrer keeps the page's address from the video host).
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'" + identity + "; " +
            "worker-src 'self'; media-src 'self' https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    }

    /// <summary>Where identity sends the browser back after sign-in (<c>wwwroot/auth.js</c> asks for it).</summary>
    public const string SignInCallbackPath = "/signin-callback.html";

    /// <summary>The field app's folder under wwwroot and its path.</summary>
    public const string AppPath = "/app";

    /// <summary>The field app's sign-in redirect URI (its own page under its registered name).</summary>
    public const string AppSignInCallbackPath = AppPath + "/signin-callback.html";

    private const string DocsPath = "/docs";

    /// <summary>The headers every page of ours carries (dashboard, field app, API docs).</summary>
    private static void SetPageHeaders(IHeaderDictionary headers, string policy)
    {
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }

    public static WebApplication UseDashboard(this WebApplication app)
    {
        var files = DashboardFiles(app.Environment);
        var policy = ContentSecurityPolicyFor(app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Jwt.Authority);
        // The sign-in redirect URI registered with identity is the dashboard page itself under its own name.
        // So is the field app's; and /app (no slash) is the app's folder.
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (path == SignInCallbackPath)
            {
                context.Request.Path = "/index.html";
            }
            else if (path == AppSignInCallbackPath)
            {
                context.Request.Path = AppPath + "/index.html";
            }
            else if (path == AppPath)
            {
                context.Response.Redirect(AppPath + "/");
                return Task.CompletedTask;
            }
            else if (path.StartsWithSegments(DocsPath))
            {
                // Swagger UI's files (served by its own middleware further on) carry the pages' headers too.
                context.Response.OnStarting(() =>
                {
                    SetPageHeaders(context.Response.Headers, policy);
                    return Task.CompletedTask;
                });
            }
            return next();
        });
        // Only page reads look for a file: an API call or a gRPC call (a POST) would otherwise cost a file-system lookup
        // each (issue 19's gateway profile: a directory stat per proxied request).
        app.UseWhen(IsPageRead, pages => pages.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files }).UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                SetPageHeaders(headers, policy);
                // Small files that change with every release: always revalidate (the field app's service worker
                // keeps its own precache, versioned by each file's hash).
                headers.CacheControl = "no-cache";
            },
        }));
        return app;
    }

    private static bool IsPageRead(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && !context.Request.Path.StartsWithSegments("/api");

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
