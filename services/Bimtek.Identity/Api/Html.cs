using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;

namespace Bimtek.Identity.Api;

/// <summary>
/// The sign-in pages' markup: one column that fits a phone, real labels, the error announced to screen readers
/// (<c>role="alert"</c>), large touch targets, and an antiforgery token in every form. Everything written is encoded.
/// </summary>
internal static class Html
{
    private const string Style = """
        *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f6f4;color:#1b1f1b}
        main{max-width:26rem;margin:0 auto;padding:1.5rem 1rem}h1{font-size:1.4rem;margin:0 0 1rem}
        label{display:block;font-weight:600;margin:1rem 0 .25rem}input{width:100%;font-size:1.1rem;padding:.7rem;border:1px solid #6b756b;border-radius:.4rem}
        input:focus,button:focus,a:focus{outline:3px solid #f2a900;outline-offset:2px}
        button{width:100%;margin-top:1.25rem;padding:.8rem;font-size:1.1rem;font-weight:600;color:#fff;background:#1f6b3a;border:0;border-radius:.4rem}
        .error{background:#fde8e8;border:1px solid #b42318;color:#7a1410;padding:.75rem;border-radius:.4rem}
        .note{background:#e8f3ec;border:1px solid #1f6b3a;padding:.75rem;border-radius:.4rem}
        nav{margin-top:1.5rem;display:flex;flex-direction:column;gap:.75rem}a{color:#1f4f8b}
        table{width:100%;border-collapse:collapse}td,th{border-bottom:1px solid #ccd;padding:.4rem;text-align:left;vertical-align:top}
        """;

    public static string Encode(string? value) => WebUtility.HtmlEncode(value ?? "");

    public static IResult Page(PageText text, string title, string body, int status = StatusCodes.Status200OK, TimeSpan? retryAfter = null)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"").Append(text.Language).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>").Append(Encode(title)).Append("</title><style>").Append(Style).Append("</style></head><body><main>")
            .Append("<h1>").Append(Encode(title)).Append("</h1>")
            .Append(body)
            .Append("<nav><a href=\"?lang=").Append(text.English ? "id" : "en").Append("\" lang=\"").Append(text.English ? "id" : "en").Append("\">")
            .Append(Encode(text["lang.switch"])).Append("</a></nav>")
            .Append("</main></body></html>")
            .ToString();
        return new PageResult(html, status, retryAfter);
    }

    public static string Error(string? message) =>
        string.IsNullOrEmpty(message) ? "" : $"<p class=\"error\" role=\"alert\" id=\"form-error\">{Encode(message)}</p>";

    public static string Antiforgery(IAntiforgery antiforgery, HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken)}\">";
    }

    public static string Field(string name, string label, string type, string? value, string autocomplete, bool invalid, string extra = "") =>
        $"<label for=\"{name}\">{Encode(label)}</label><input id=\"{name}\" name=\"{name}\" type=\"{type}\" value=\"{Encode(value)}\" " +
        $"autocomplete=\"{autocomplete}\" required{(invalid ? " aria-invalid=\"true\" aria-describedby=\"form-error\"" : "")} {extra}>";

    public static string Hidden(string name, string? value) => $"<input type=\"hidden\" name=\"{name}\" value=\"{Encode(value)}\">";

    private sealed class PageResult(string html, int status, TimeSpan? retryAfter) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Frame-Options"] = "DENY";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
            if (retryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await context.Response.WriteAsync(html);
        }
    }
}
