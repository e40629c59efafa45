using System.Net;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Gateway.Tests;

/// <summary>People's JWTs and API keys that must not get in, and the ones that must.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AuthenticationTests(GatewayFixture fixture)
{
    private const string Path = "/api/v1/programmes";

    public static TheoryData<string, string> BadTokens() => new()
    {
        { "expired beyond the 30 s skew", Callers.Person("p", [Roles.Operator], lifetime: TimeSpan.FromSeconds(-45)) },
        { "wrong issuer", Callers.Person("p", [Roles.Operator], issuer: "https://evil.test") },
        { "wrong audience", Callers.Person("p", [Roles.Operator], audience: "someone-else") },
        { "alg none", Callers.PersonUnsigned("p", Roles.Operator) },
        { "signed by an unknown key", Callers.PersonSignedByStranger("p", Roles.Operator) },
        { "not a token", "not.a.token" },
        { "a gateway-issued token signed by a stranger", Bimtek.Testing.Hosting.TestTokens.Service() },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_bearer_token_is_401_and_never_proxied(string why, string token)
    {
        var before = fixture.Gateway.Router.TotalRequests;
        using var client = fixture.Gateway.Client(bearer: token);

        using var response = await client.GetAsync(Path);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
        Assert.Contains("\"code\":16", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, fixture.Gateway.Router.TotalRequests);
    }

    [Fact]
    public async Task A_valid_person_token_within_the_skew_is_accepted()
    {
        using var client = fixture.Gateway.Client(bearer: Callers.Person("op-1", [Roles.Operator], lifetime: TimeSpan.FromSeconds(-10)));

        using var response = await client.GetAsync(Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("test-api-key-for-operator ")]
    [InlineData("TEST-API-KEY-FOR-OPERATOR")]
    [InlineData("x")]
    public async Task A_bad_api_key_is_401_even_with_a_valid_bearer_token(string key)
    {
        using var client = fixture.Gateway.Client(apiKey: key, bearer: Callers.Person("op-1", [Roles.Operator]));

        using var response = await client.GetAsync(Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_person_token_cannot_claim_the_service_role()
    {
        using var client = fixture.Gateway.Client(bearer: Callers.Person("mallory", [Roles.Service]));

        using var response = await client.GetAsync(Path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/docs/index.html")]
    public async Task Health_and_docs_are_anonymous(string path)
    {
        using var client = fixture.Gateway.Client();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
