using System.Security.Claims;
using System.Security.Cryptography;
using Bimtek.Gateway.Hosting;
using Bimtek.Gateway.Security;
using Bimtek.ServiceDefaults.Security;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// The token forwarded with proxied requests is signed once per caller (subject + roles) per half token
/// lifetime (issue 19), never reused past that, and never shared between callers or role sets.
/// </summary>
public sealed class ForwardedTokenTests
{
    private static readonly TimeSpan _lifetime = TimeSpan.FromMinutes(2);

    [Fact]
    public void The_same_caller_gets_the_same_token_until_half_its_lifetime_has_passed()
    {
        var (issuer, clock) = Create();
        var caller = Principal("trainee-1", Roles.Trainee);

        var first = issuer.IssueFor(caller);
        clock.Advance(_lifetime / 2 - TimeSpan.FromSeconds(1));
        Assert.Equal(first, issuer.IssueFor(caller));

        clock.Advance(TimeSpan.FromSeconds(1));
        var renewed = issuer.IssueFor(caller);
        Assert.NotEqual(first, renewed);
        // A reused token always has at least half its lifetime left when it is forwarded.
        var token = new JsonWebToken(renewed);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddTicks(_lifetime.Ticks), token.ValidTo, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Callers_and_role_sets_never_share_a_token()
    {
        var (issuer, _) = Create();
        var trainee = issuer.IssueFor(Principal("person-1", Roles.Trainee));
        var otherPerson = issuer.IssueFor(Principal("person-2", Roles.Trainee));
        var moreRoles = issuer.IssueFor(Principal("person-1", Roles.Trainee, Roles.Instructor));

        Assert.Equal(3, new[] { trainee, otherPerson, moreRoles }.Distinct().Count());
        var token = new JsonWebToken(moreRoles);
        Assert.Equal("person-1", token.GetClaim(BimtekClaims.Subject).Value);
        Assert.Equal([Roles.Instructor, Roles.Trainee], token.Claims.Where(c => c.Type == BimtekClaims.Roles).Select(c => c.Value).Order(StringComparer.Ordinal));
        // The same roles in another order are the same caller.
        Assert.Equal(moreRoles, issuer.IssueFor(Principal("person-1", Roles.Instructor, Roles.Trainee)));
    }

    private static (GatewayTokenIssuer Issuer, ManualClock Clock) Create()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = Options.Create(new GatewayOptions { SigningKeyPem = ec.ExportPkcs8PrivateKeyPem(), ForwardedTokenLifetime = _lifetime });
        var key = new GatewaySigningKey(options, new Environment(), NullLogger<GatewaySigningKey>.Instance);
        var clock = new ManualClock();
        return (new GatewayTokenIssuer(key, options, clock), clock);
    }

    private static ClaimsPrincipal Principal(string subject, params string[] roles) =>
        GatewayIdentity.Create("test", subject, roles, GatewayIdentity.AllRoles);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";
        public string ApplicationName { get; set; } = "gateway-tests";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
