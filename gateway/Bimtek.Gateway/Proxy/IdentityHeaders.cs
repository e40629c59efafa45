namespace Bimtek.Gateway.Proxy;

/// <summary>
/// Headers by which a client could claim an identity. They are compared with case, <c>-</c> and <c>_</c>
/// ignored (so <c>X_User_Id</c>, <c>x-user-id</c> and <c>XUSERID</c> are one name) and removed before a request
/// is forwarded; the gateway then adds its own signed token.
/// </summary>
public static class IdentityHeaders
{
    private static readonly HashSet<string> _exact = new(StringComparer.Ordinal)
    {
        "authorization", "proxyauthorization", "xapikey", "cookie", "xroles", "xrole", "xgroups", "xsubject", "xcaller",
        "xidentity", "xprincipal", "remoteuser", "xremoteuser", "xemail", "xauthenticated", "xclientid", "xtenant",
    };

    private static readonly string[] _prefixes =
    [
        "xuser", "xforwardeduser", "xforwardedemail", "xforwardedgroups", "xforwardedaccesstoken", "xforwardedpreferredusername",
        "xauth", "xmsclientprincipal", "xbimtek", "xjwt", "xoidc", "xamzn", "xgoog", "xidtoken", "xaccesstoken",
    ];

    public static bool IsIdentityHeader(string name)
    {
        var normalised = Normalise(name);
        return _exact.Contains(normalised) || _prefixes.Any(p => normalised.StartsWith(p, StringComparison.Ordinal));
    }

    private static string Normalise(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, 256)];
        var length = 0;
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, 256)))
        {
            if (c is '-' or '_')
            {
                continue;
            }
            buffer[length++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..length]);
    }
}
