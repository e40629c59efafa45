namespace Bimtek.Identity.Domain;

/// <summary>
/// Where a sign-in page may send the browser afterwards: only a path on this service (the
/// authorization request that sent it here), never another site. Redirects to clients happen only
/// through OpenIddict, which checks the client's registered redirect URIs.
/// </summary>
public static class ReturnUrls
{
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains("\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    public static string OrDefault(string? url, string fallback) => IsLocal(url) ? url! : fallback;
}
