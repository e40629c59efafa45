using Bimtek.Identity.Application;

namespace Bimtek.Identity.Api;

/// <summary><c>/dev/inbox</c>: what the local sender "sent" (local run only, <c>Identity:DevInbox</c>).</summary>
internal static class DevInbox
{
    public static IEndpointRouteBuilder MapDevInbox(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dev/inbox", (HttpContext http, DevInboxSender inbox) =>
        {
            var text = PageText.For(http);
            var rows = string.Concat(inbox.Messages.Select(m =>
                $"<tr><td>{Html.Encode(m.SentAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture))}</td><td>{Html.Encode(m.To)}</td><td>{Html.Encode(m.Text)}</td></tr>"));
            return Html.Page(text, text["inbox.title"], $"<table><thead><tr><th>UTC</th><th>To</th><th>Text</th></tr></thead><tbody>{rows}</tbody></table>");
        }).AllowAnonymous();
        return endpoints;
    }
}
