using System.Text.Json;

namespace Bimtek.Gateway.OpenApi;

/// <summary><c>/openapi/v1.json</c> (built once from the contracts) and the interactive UI at <c>/docs</c>; both anonymous.</summary>
public static class ApiDocsEndpoints
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string UiPrefix = "docs";

    private static readonly Lazy<string> _document = new(() => Serialize(OpenApiDocumentBuilder.Build()));

    /// <summary>The document as served (and as checked in at <c>gateway/Bimtek.Gateway/OpenApi/v1.json</c>).</summary>
    public static string Document => _document.Value;

    /// <summary>Indented, non-ASCII text kept as written, one trailing newline: stable to diff and to check in.</summary>
    public static string Serialize(System.Text.Json.Nodes.JsonObject document) =>
        document.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }).ReplaceLineEndings("\n") + "\n";

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DocumentPath, () => Results.Text(_document.Value, "application/json")).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// Swagger UI from the package's embedded files (no CDN), before authorisation so it is anonymous. Only requests under
    /// <c>/docs</c> meet it: its middleware otherwise matches two regular expressions and a static-file lookup against every
    /// proxied call (issue 19's gateway profile).
    /// </summary>
    public static IApplicationBuilder UseApiDocsUi(this IApplicationBuilder app) => app.UseWhen(
        context => context.Request.Path.StartsWithSegments("/" + UiPrefix, StringComparison.OrdinalIgnoreCase),
        docs => docs.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = UiPrefix;
            ui.DocumentTitle = "Bimtek API";
            ui.SwaggerEndpoint(DocumentPath, "Bimtek v1");
        }));
}
