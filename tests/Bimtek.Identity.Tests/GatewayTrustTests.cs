using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Identity.Tests;

/// <summary>
/// The real gateway trusting the real identity service through its discovery document
/// (<c>Gateway:Jwt:Authority</c>): its tokens get in, a forged <c>service</c> role never does, and
/// tokens signed by anyone else or for another audience are refused.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GatewayTrustTests
{
    // A public REST route (trainees may read quotas) and a gRPC method the gateway admits for services only (a public
    // service's RPC without a REST binding; internal services are not routed at all).
    private const string RestPath = "/api/v1/quotas/programmes/p-1";
    private const string InternalRpc = "/bimtek.notifications.v1.NotificationsService/SetContact";

    [Fact]
    public async Task The_gateway_honours_identity_tokens_but_never_a_service_role_or_a_foreign_signature()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "gateway-trust");
        await identity.AccountAsync("trainee-ani", AccountRole.Trainee, phone: "0812-1111-0001");
        var code = await identity.IssueCodeAsync("trainee-ani");
        var phone = identity.NewBrowser();
        var tokens = await IdentityHarness.CodeFlowAsync(phone, async returnUrl =>
        {
            var page = await phone.GetAsync("/account/code?returnUrl=" + Uri.EscapeDataString(returnUrl));
            return await phone.PostFormAsync("/account/code", page.Html, new() { ["Name"] = "0812-1111-0001", ["Code"] = code });
        });
        await using var gateway = new Gateway(identity);

        // Authenticated and allowed: the request goes on to the (absent) coordinator.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await gateway.StatusAsync(HttpMethod.Get, RestPath, tokens.AccessToken));

        // Signed with identity's own key, but claiming `service` for a person: the role is dropped, the RPC refused.
        var identityKey = RSA.Create();
        identityKey.ImportFromPem(await File.ReadAllTextAsync(identity.SigningKeyFile));
        var jwks = new JsonWebToken(tokens.AccessToken).Kid;
        var forged = Mint(new RsaSecurityKey(identityKey) { KeyId = jwks }, "trainee-ani", [Roles.Service, Roles.Trainee], "bimtek-api");
        Assert.Equal("7", await gateway.GrpcStatusAsync(InternalRpc, forged)); // PERMISSION_DENIED

        // Anyone else's key, or another audience: not authenticated at all.
        var stranger = Mint(new RsaSecurityKey(RSA.Create(2048)) { KeyId = jwks }, "trainee-ani", [Roles.Operator], "bimtek-api");
        Assert.Equal(HttpStatusCode.Unauthorized, await gateway.StatusAsync(HttpMethod.Get, RestPath, stranger));
        var otherAudience = Mint(new RsaSecurityKey(identityKey) { KeyId = jwks }, "trainee-ani", [Roles.Trainee], "another-api");
        Assert.Equal(HttpStatusCode.Unauthorized, await gateway.StatusAsync(HttpMethod.Get, RestPath, otherAudience));
    }

    private static string Mint(SecurityKey key, string subject, string[] roles, string audience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "http://localhost/",
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>The gateway with no services behind it (every destination refuses connections).</summary>
    private sealed class Gateway(IdentityHarness identity) : WebApplicationFactory<Bimtek.Gateway.Program>
    {
        public async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string token)
        {
            using var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        /// <summary>The gRPC status of an empty unary call (gRPC errors travel in headers with HTTP 200).</summary>
        public async Task<string?> GrpcStatusAsync(string path, string token)
        {
            using var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Version = HttpVersion.Version20 };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Content = new ByteArrayContent([0, 0, 0, 0, 0]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            using var response = await client.SendAsync(request);
            return response.Headers.TryGetValues("grpc-status", out var values) ? values.Single()
                : response.TrailingHeaders.TryGetValues("grpc-status", out var trailers) ? trailers.Single() : null;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var settings = new Dictionary<string, string?>
            {
                ["Gateway:SigningKeyPem"] = key.ExportPkcs8PrivateKeyPem(),
                ["Gateway:GenerateSigningKeyIfMissing"] = "false",
                ["Gateway:Jwt:Authority"] = "http://localhost/",
                ["Gateway:Jwt:Audience"] = "bimtek-api",
            };
            foreach (var service in new[] { "participants", "materials", "production", "distribution", "coordinator" })
            {
                foreach (var protocol in new[] { "rest", "grpc" })
                {
                    settings[$"ReverseProxy:Clusters:{service}-{protocol}:Destinations:{service}-{protocol}-0:Address"] = "http://127.0.0.1:9";
                }
            }
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>("IdentityJwt",
                jwt => jwt.BackchannelHttpHandler = identity.Host.CreateHandler()));
        }
    }
}
