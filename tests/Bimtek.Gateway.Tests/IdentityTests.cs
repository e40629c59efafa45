using System.Net;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Gateway.Tests;

/// <summary>What the services receive: no identity the client claimed, only the gateway's signed token.</summary>
[Collection(GatewayCollection.Name)]
public sealed class IdentityTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("X-User-Id")]
    [InlineData("x-user-id")]
    [InlineData("X_User_Id")]
    [InlineData("X-USER_ROLES")]
    [InlineData("X-Roles")]
    [InlineData("x_roles")]
    [InlineData("X-Forwarded-User")]
    [InlineData("X_Forwarded_User")]
    [InlineData("X-Auth-Request-User")]
    [InlineData("X-MS-CLIENT-PRINCIPAL")]
    public async Task A_client_sent_identity_header_is_stripped(string header)
    {
        using var client = fixture.Gateway.Client(bearer: Callers.Person("trainee-7", [Roles.Trainee]));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/enrolments");
        request.Headers.TryAddWithoutValidation(header, "operator-1");
        request.Headers.TryAddWithoutValidation("X-Harmless", "kept");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await Echo.ReadAsync(response);
        Assert.Null(echo.Header(header));
        Assert.DoesNotContain(echo.Headers.Values, v => v.Contains("operator-1", StringComparison.Ordinal));
        Assert.Equal("kept", echo.Header("X-Harmless"));
        Assert.Equal("trainee-7", echo.Subject);
        Assert.Equal([Roles.Trainee], echo.Roles);
    }

    [Fact]
    public async Task The_service_receives_a_gateway_signed_es256_token_with_the_verified_subject_and_roles_only()
    {
        var personToken = Callers.Person("instructor-3", [Roles.Instructor, "service", "superuser"]);
        using var client = fixture.Gateway.Client(bearer: personToken);

        using var response = await client.GetAsync("/api/v1/programmes/p-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await Echo.ReadAsync(response);
        // The service validated it (the fake authenticates like the real ones) and saw only the allowed role.
        Assert.Equal("instructor-3", echo.Subject);
        Assert.Equal([Roles.Instructor], echo.Roles);
        var forwarded = echo.Header("Authorization")!;
        Assert.StartsWith("Bearer ", forwarded);
        var token = forwarded["Bearer ".Length..];
        Assert.NotEqual(personToken, token);
        Assert.Null(echo.Header("X-Api-Key"));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "bimtek-gateway",
            ValidAudience = "bimtek-services",
            IssuerSigningKey = SigningKeys.FromPem(Callers.GatewayPublicKeyPem),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.Zero,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("ES256", jwt.Alg);
        Assert.InRange(jwt.ValidTo - DateTime.UtcNow, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(125));
        Assert.Equal("instructor-3", jwt.Subject);
        Assert.Equal([Roles.Instructor], jwt.GetPayloadValue<string[]>("roles"));
    }

    [Fact]
    public async Task An_api_key_client_is_forwarded_as_its_configured_subject_and_roles()
    {
        using var client = fixture.Gateway.ClientFor(Roles.Integrator);

        using var response = await client.GetAsync("/api/v1/stock/balances?locationId=home-1");

        var echo = await Echo.ReadAsync(response);
        Assert.Equal("materials", echo.Backend);
        Assert.Equal("/api/v1/stock/balances?locationId=home-1", echo.Path);
        Assert.Equal("key-integrator", echo.Subject);
        Assert.Equal([Roles.Integrator], echo.Roles);
    }

    [Fact]
    public async Task A_service_client_gets_a_token_at_the_token_endpoint_and_calls_through_the_gateway_with_it()
    {
        using var anonymous = fixture.Gateway.Client();
        using var tokenResponse = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Callers.ServiceClientId,
            ["client_secret"] = Callers.ServiceClientSecret,
        }));
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var body = System.Text.Json.JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt32() > 60);
        var token = body.GetProperty("access_token").GetString()!;

        // Services accept it directly (standard validation against the gateway's public key)…
        using var direct = fixture.Backends["coordinator"].CreateHttpClient(token);
        var directEcho = await Echo.ReadAsync(await direct.GetAsync("/anything"));
        Assert.Equal(Callers.ServiceClientId, directEcho.Subject);
        Assert.Equal([Roles.Service], directEcho.Roles);

        // …and the gateway accepts it for the gRPC methods it admits for services only (a public service's RPC without a
        // REST binding), which people never reach.
        using var viaGateway = fixture.Gateway.Client(bearer: token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/bimtek.notifications.v1.NotificationsService/SetContact")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        using var proxied = await viaGateway.SendAsync(request);
        Assert.True(proxied.Headers.Contains(FakeBackends.BackendHeader));
    }

    [Theory]
    [InlineData("materials", "wrong-secret", "client_credentials")]
    [InlineData("nobody", Callers.ServiceClientSecret, "client_credentials")]
    [InlineData("materials", "", "client_credentials")]
    [InlineData("materials", Callers.ServiceClientSecret, "password")]
    public async Task The_token_endpoint_rejects_bad_clients(string clientId, string secret, string grant)
    {
        using var anonymous = fixture.Gateway.Client();

        using var response = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync());
    }
}
