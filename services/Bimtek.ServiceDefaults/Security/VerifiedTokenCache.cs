using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bimtek.ServiceDefaults.Security;

/// <summary>
/// Bearer tokens one JWT bearer scheme has already verified, each kept until its own expiry. The same
/// token reaches a service again and again (the gateway forwards one token per caller for half its
/// lifetime, and an output report passes it to four services), and each arrival would otherwise verify
/// the same ES256 signature and parse the same claims again. The key is the whole token: a token that
/// differs in one character is verified in full. A verified token stays acceptable until its <c>exp</c>
/// whatever happens to the keys meanwhile — the same promise the token itself makes.
/// </summary>
public sealed class VerifiedTokenCache(int capacity = VerifiedTokenCache.DefaultCapacity)
{
    /// <summary>Far more than the callers of one service within a token's lifetime; a few MiB at most.</summary>
    public const int DefaultCapacity = 4096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>
    /// The principal of a token verified before and not yet expired at <paramref name="now"/>, as a copy
    /// of its own: a request may add to its principal without touching another's.
    /// </summary>
    public bool TryGet(string token, DateTimeOffset now, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        if (_entries.TryGetValue(token, out var entry))
        {
            if (now < entry.ExpiresAt)
            {
                principal = Copy(entry.Principal);
                return true;
            }
            _entries.TryRemove(KeyValuePair.Create(token, entry));
        }
        principal = null;
        return false;
    }

    public void Remember(string token, ClaimsPrincipal principal, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (expiresAt <= now)
        {
            return;
        }
        if (_entries.Count >= capacity)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.ExpiresAt <= now)
                {
                    _entries.TryRemove(KeyValuePair.Create(key, entry));
                }
            }
            if (_entries.Count >= capacity)
            {
                // Many live callers at once: start again rather than grow without bound (each costs one verification more).
                _entries.Clear();
            }
        }
        _entries[token] = new Entry(Copy(principal), expiresAt);
    }

    /// <summary>Identities and claims copied (<see cref="ClaimsPrincipal.Clone"/> shares the identities).</summary>
    private static ClaimsPrincipal Copy(ClaimsPrincipal principal) => new(principal.Identities.Select(identity => identity.Clone()));

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt);
}

public static class VerifiedTokenCacheExtensions
{
    /// <summary>
    /// Puts <paramref name="cache"/> in front of the scheme's verification: a request whose bearer token
    /// the scheme verified before (and whose own events accepted it) succeeds with that token's principal;
    /// any other goes through the scheme's full validation, and is remembered when it passes. Call after
    /// the scheme's own events are set: they run first in both places.
    /// </summary>
    public static JwtBearerOptions UseVerifiedTokenCache(this JwtBearerOptions jwt, VerifiedTokenCache? cache = null)
    {
        cache ??= new VerifiedTokenCache();
        var events = jwt.Events ?? new JwtBearerEvents();
        var received = events.OnMessageReceived;
        var validated = events.OnTokenValidated;
        events.OnMessageReceived = async context =>
        {
            await received(context);
            if (context.Result is not null)
            {
                return;
            }
            var token = context.Token ?? BearerToken(context.Request.Headers.Authorization.ToString());
            if (token is not null && cache.TryGet(token, Now(context.Options), out var principal))
            {
                context.Principal = principal;
                context.Success();
            }
        };
        events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Result is null && context.Principal is not null && context.SecurityToken is JsonWebToken verified)
            {
                cache.Remember(verified.EncodedToken, context.Principal, new DateTimeOffset(verified.ValidTo, TimeSpan.Zero), Now(context.Options));
            }
        };
        jwt.Events = events;
        return jwt;
    }

    private static DateTimeOffset Now(JwtBearerOptions options) => (options.TimeProvider ?? TimeProvider.System).GetUtcNow();

    /// <summary>The token as the bearer handler reads it: after "Bearer " (any case), trimmed.</summary>
    private static string? BearerToken(string authorization)
    {
        const string prefix = "Bearer ";
        if (!authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization[prefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
