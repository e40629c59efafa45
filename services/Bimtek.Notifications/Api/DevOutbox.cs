using System.Globalization;
using System.Net;
using Bimtek.Notifications.Channels;

namespace Bimtek.Notifications.Api;

/// <summary><c>/dev/outbox</c>: what the local run "sent" (only with <c>Notifications:DevOutbox</c>).</summary>
internal static class DevOutbox
{
    public static IEndpointRouteBuilder MapDevOutbox(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dev/outbox", (DevOutboxChannel outbox) =>
        {
            var rows = string.Concat(outbox.Entries.Select(m =>
                $"<tr><td>{WebUtility.HtmlEncode(m.At.ToString("u", CultureInfo.InvariantCulture))}</td><td>{WebUtility.HtmlEncode(m.To)}</td>" +
                $"<td>{WebUtility.HtmlEncode(m.Template)}</td><td>{WebUtility.HtmlEncode(m.Text)}</td></tr>"));
            var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Dev outbox</title></head><body><h1>Dev outbox</h1>" +
                "<p>Messages the local run would have sent. Nothing left this machine.</p>" +
                $"<table><thead><tr><th>UTC</th><th>To</th><th>Template</th><th>Text</th></tr></thead><tbody>{rows}</tbody></table></body></html>";
            return Results.Content(html, "text/html; charset=utf-8");
        }).AllowAnonymous();
        return endpoints;
    }
}
