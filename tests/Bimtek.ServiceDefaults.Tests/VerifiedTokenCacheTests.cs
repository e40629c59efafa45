using System.Net;
using System.Security.Claims;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>
/// A service verifies a bearer token's signature once, then knows it until its expiry — and never a
/// token it has not verified, nor one past its <c>exp</c>.
/// </summary>
public sealed class VerifiedTokenCacheTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_token_is_verified_once_and_then_known_until_it_expires()
    {
        var verifications = 0;
        await using var host = await StartAsync(() => Interlocked.Increment(ref verifications), new() { ["Auth:ClockSkew"] = "00:00:00" });
        var token = TestTokens.Mint("trainee-1", [Roles.Trainee], TimeSpan.FromSeconds(2));
        using var client = host.CreateHttpClient(token);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("trainee-1", await client.GetStringAsync("/who"));
        }
        Assert.Equal(1, verifications);

        // Past its exp (no skew here): refused, not kept alive by having been known.
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var expired = await client.GetAsync("/who");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task A_token_that_differs_from_a_known_one_is_verified_in_full()
    {
        var verifications = 0;
        await using var host = await StartAsync(() => Interlocked.Increment(ref verifications));
        var token = TestTokens.Mint("trainee-1", Roles.Trainee);
        using var known = host.CreateHttpClient(token);
        Assert.Equal("trainee-1", await known.GetStringAsync("/who"));

        // The same header and payload under another signature, and the same claims under another key.
        var parts = token.Split('.');
        var forgedSignature = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? "B" : "A") + parts[2][1..];
        using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var foreign = TestTokens.Mint("trainee-1", [Roles.Trainee], TimeSpan.FromMinutes(10),
            key: new Microsoft.IdentityModel.Tokens.ECDsaSecurityKey(otherKey) { KeyId = "test" });
        foreach (var forged in new[] { forgedSignature, foreign, token + "x", " " + token[..^1] })
        {
            using var client = host.CreateHttpClient(forged);
            using var response = await client.GetAsync("/who");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Equal("trainee-1", await known.GetStringAsync("/who"));
        Assert.True(verifications >= 4, $"{verifications} verifications");
    }

    [Fact]
    public void Each_caller_gets_its_own_copy_of_the_principal()
    {
        var cache = new VerifiedTokenCache();
        cache.Remember("t", Principal("a"), _now.AddMinutes(1), _now);

        Assert.True(cache.TryGet("t", _now, out var first));
        ((ClaimsIdentity)first.Identity!).AddClaim(new Claim("extra", "1"));
        Assert.True(cache.TryGet("t", _now, out var second));

        Assert.Null(second.FindFirst("extra"));
        Assert.Equal("a", second.FindFirst(BimtekClaims.Subject)?.Value);
    }

    [Fact]
    public void An_entry_ends_at_the_tokens_expiry_and_an_expired_token_is_not_kept()
    {
        var cache = new VerifiedTokenCache();
        cache.Remember("t", Principal("a"), _now.AddSeconds(10), _now);
        cache.Remember("old", Principal("b"), _now, _now);

        Assert.True(cache.TryGet("t", _now.AddSeconds(9.9), out _));
        Assert.False(cache.TryGet("t", _now.AddSeconds(10), out _));
        Assert.False(cache.TryGet("old", _now, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_full_cache_drops_expired_entries_first_and_never_grows_past_its_capacity()
    {
        var cache = new VerifiedTokenCache(capacity: 3);
        cache.Remember("short", Principal("a"), _now.AddSeconds(1), _now);
        cache.Remember("long-1", Principal("b"), _now.AddMinutes(1), _now);
        cache.Remember("long-2", Principal("c"), _now.AddMinutes(1), _now);

        cache.Remember("new", Principal("d"), _now.AddMinutes(1), _now.AddSeconds(2));
        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("long-1", _now.AddSeconds(2), out _));

        cache.Remember("newer", Principal("e"), _now.AddMinutes(1), _now.AddSeconds(2));
        Assert.True(cache.Count <= 3);
        Assert.True(cache.TryGet("newer", _now.AddSeconds(2), out _));
    }

    private static ClaimsPrincipal Principal(string subject) =>
        new(new ClaimsIdentity([new Claim(BimtekClaims.Subject, subject)], "test", BimtekClaims.Subject, BimtekClaims.Roles));

    /// <summary>A host with the services' token authentication, counting the signature checks it makes.</summary>
    private static Task<WebTestHost> StartAsync(Action onVerify, Dictionary<string, string?>? configuration = null) =>
        WebTestHost.StartAsync(
            builder =>
            {
                builder.AddGatewayTokenAuthentication();
                builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
                {
                    var resolve = jwt.TokenValidationParameters.IssuerSigningKeyResolver;
                    jwt.TokenValidationParameters.IssuerSigningKeyResolver = (token, securityToken, kid, parameters) =>
                    {
                        onVerify();
                        return resolve(token, securityToken, kid, parameters);
                    };
                });
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/who", (HttpContext context) => context.User.FindFirst(BimtekClaims.Subject)?.Value ?? "");
            },
            configuration);
}
