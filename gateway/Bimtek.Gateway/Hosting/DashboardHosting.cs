using Microsoft.Extensions.FileProviders;

namespace Bimtek.Gateway.Hosting;

/// <summary>
/// The programme dashboard: static files (wwwroot) served anonymously at <c>/</c>. They hold no data — the page
/// calls the <c>/api/v1</c> routes with the signed-in user's credential, and those keep their policies. The files
/// are served before routing, so the fallback policy (and the 404 fallback) still answer every other path.
/// </summary>
public static class DashboardHosting
{
    /// <summary>Scripts, styles and calls from this origin only; no inline code, no framing, no plugins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication UseDashboard(this WebApplication app)
    {
        var files = DashboardFiles(app.Environment);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Small files that change with every release: always revalidate.
                headers.CacheControl = "no-cache";
            },
        });
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
