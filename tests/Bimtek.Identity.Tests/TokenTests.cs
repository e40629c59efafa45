using System.Net;
using System.Text.Json;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bimtek.Identity.Tests;

/// <summary>Tokens: what they carry, refresh rotation and reuse, disabled accounts, redirect URIs, systems.</summary>
[Trait("Category", "Integration")]
public sealed class TokenTests
{
    private const string Password = "sasirangan2020";

    internal static Func<string, Task<IdentityHarness.Response>> WithPassword(IdentityHarness.Browser browser, string name, string password) => async returnUrl =>
    {
        var page = await browser.GetAsync("/account/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        return await browser.PostFormAsync("/account/signin", page.Html, new() { ["Name"] = name, ["Password"] = password });
    };

    internal static Func<string, Task<IdentityHarness.Response>> WithCode(IdentityHarness.Browser browser, string name, string code) => async returnUrl =>
    {
        var page = await browser.GetAsync("/account/code?returnUrl=" + Uri.EscapeDataString(returnUrl));
        return await browser.PostFormAsync("/account/code", page.Html, new() { ["Name"] = name, ["Code"] = code });
    };

    [Theory, BothDatabases]
    public async Task The_dashboard_gets_a_five_minute_signed_JWT_with_sub_roles_office_and_the_gateway_audience(DatabaseKind db)
    {
        await using var identity = await IdentityHarness.StartAsync(db, "claims");
        await identity.StaffWithPasswordAsync("expert-dewi", AccountRole.HealthExpert, "dewi@puskesmas.example", Password);
        var browser = identity.NewBrowser();
        var tokens = await IdentityHarness.CodeFlowAsync(browser, WithPassword(browser, "dewi@puskesmas.example", Password));

        var jwt = new JsonWebToken(tokens.AccessToken);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("http://localhost/", jwt.Issuer);
        Assert.Equal("expert-dewi", jwt.Subject);
        Assert.Equal(["bimtek-api"], jwt.Audiences);
        Assert.Equal([Roles.HealthExpert], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.Equal("DISPERINDAGKOP-HSU", jwt.GetClaim("office").Value);
        Assert.Equal(TimeSpan.FromMinutes(5), jwt.ValidTo - jwt.IssuedAt);
        Assert.InRange(tokens.ExpiresIn, 295, 300);
        Assert.NotNull(tokens.RefreshToken);
    }

    [Theory, BothDatabases]
    public async Task Reusing_a_refresh_token_revokes_its_whole_family(DatabaseKind db)
    {
        await using var identity = await IdentityHarness.StartAsync(db, "refresh-reuse");
        await identity.StaffWithPasswordAsync("instructor-rina", AccountRole.Instructor, "rina@hsu.example", Password);
        var browser = identity.NewBrowser();
        var first = await IdentityHarness.CodeFlowAsync(browser, WithPassword(browser, "rina@hsu.example", Password));

        var rotated = await Refresh(browser, first.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        var second = rotated.Tokens;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);

        // The old token again (a thief's copy): refused, and the family dies with it.
        var reused = await Refresh(browser, first.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        Assert.Equal("invalid_grant", reused.Error);
        var family = await Refresh(browser, second.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, family.Status);
        Assert.Equal("invalid_grant", family.Error);
    }

    [Theory, BothDatabases]
    public async Task A_withdrawn_trainee_gets_no_new_token_and_the_old_one_ends_within_five_minutes(DatabaseKind db)
    {
        await using var identity = await IdentityHarness.StartAsync(db, "withdrawn");
        await identity.AccountAsync("trainee-ani", AccountRole.Trainee, phone: "0812-1111-0001");
        var code = await identity.IssueCodeAsync("trainee-ani");
        var phone = identity.NewBrowser();
        var tokens = await IdentityHarness.CodeFlowAsync(phone, WithCode(phone, "0812-1111-0001", code));
        var old = new JsonWebToken(tokens.AccessToken);
        Assert.Equal([Roles.Trainee], old.Claims.Where(c => c.Type == "roles").Select(c => c.Value));

        await identity.AccountAsync("trainee-ani", AccountRole.Trainee, active: false);

        var refresh = await Refresh(phone, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.Status);
        Assert.Equal("invalid_grant", refresh.Error);
        Assert.Equal("The account is disabled.", refresh.ErrorDescription);
        // The browser's session does not get a new code either: back to the sign-in page.
        var again = await phone.GetAsync(IdentityHarness.AuthorizeUrl(IdentityHarness.RedirectUri, IdentityHarness.Base64Url(new byte[32])));
        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        Assert.Contains("/account/signin", again.Location, StringComparison.Ordinal);
        Assert.True(old.ValidTo - DateTime.UtcNow <= TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task An_unregistered_redirect_uri_is_refused_without_redirecting()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "redirect-uri");
        var browser = identity.NewBrowser();
        var answer = await browser.GetAsync(IdentityHarness.AuthorizeUrl("https://evil.example/callback", IdentityHarness.Base64Url(new byte[32])));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Null(answer.Location);
        Assert.Contains("redirect_uri", answer.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_must_use_PKCE()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "pkce");
        var browser = identity.NewBrowser();
        var answer = await browser.GetAsync("/connect/authorize?client_id=bimtek-dashboard&response_type=code&scope=openid&redirect_uri="
            + Uri.EscapeDataString(IdentityHarness.RedirectUri) + "&state=s1");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Null(answer.Location);
        Assert.Contains("code_challenge", answer.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_system_client_never_gets_the_service_role()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "client-credentials");
        var answer = await identity.NewBrowser().TokenAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = IdentityHarness.SystemClient,
            ["client_secret"] = IdentityHarness.SystemSecret,
        });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var jwt = new JsonWebToken(answer.Tokens.AccessToken);
        Assert.Equal(IdentityHarness.SystemClient, jwt.Subject);
        Assert.Equal([Roles.Integrator], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value));

        var wrong = await identity.NewBrowser().TokenAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = IdentityHarness.SystemClient,
            ["client_secret"] = "guess",
        });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("invalid_client", wrong.Error);
    }

    [Fact]
    public async Task Discovery_publishes_the_signing_keys()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "discovery");
        using var http = identity.Host.CreateHttpClient();
        var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        Assert.Equal("http://localhost/", discovery.GetProperty("issuer").GetString());
        var jwks = JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks")).RootElement;
        Assert.Equal("RSA", jwks.GetProperty("keys")[0].GetProperty("kty").GetString());
    }

    [Theory, BothDatabases]
    public async Task The_same_account_change_delivered_three_times_at_once_applies_once(DatabaseKind db)
    {
        await using var identity = await IdentityHarness.StartAsync(db, "dedup");
        var request = new ApplyAccountChangeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Subject = "trainee-ani",
            Role = AccountRole.Trainee,
            Name = "Ani",
            Active = true,
        };
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => identity.Service.ApplyAccountChangeAsync(request).ResponseAsync));
        Assert.All(answers, a => Assert.True(a.Active));
        // A later change disables; the old message arriving again changes nothing.
        await identity.AccountAsync("trainee-ani", AccountRole.Trainee, active: false);
        var replay = await identity.Service.ApplyAccountChangeAsync(request);
        Assert.False(replay.Active);

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await identity.InternalAs(TestTokens.Operator()).ApplyAccountChangeAsync(request));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    private static Task<IdentityHarness.TokenAnswer> Refresh(IdentityHarness.Browser browser, string refreshToken) =>
        browser.TokenAsync(new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = IdentityHarness.ClientId,
        });
}
