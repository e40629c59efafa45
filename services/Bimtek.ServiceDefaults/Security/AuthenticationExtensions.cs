using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.ServiceDefaults.Security;

public static class AuthenticationExtensions
{
    /// <summary>
    /// Every call must carry a token the gateway signed (standard JWT bearer validation against its
    /// public key); a call without one is UNAUTHENTICATED, even from inside the network.
    /// </summary>
    public static IHostApplicationBuilder AddGatewayTokenAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<VerificationKeyProvider>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, VerificationKeyProvider>((jwt, auth, keys) =>
            {
                jwt.MapInboundClaims = false;
                jwt.RequireHttpsMetadata = false;
                var parameters = TokenValidation.Parameters(auth.Value.Issuer, auth.Value.Audience, auth.Value.ClockSkew,
                    [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256]);
                parameters.IssuerSigningKeyResolver = (_, _, _, _) => keys.Keys();
                parameters.NameClaimType = BimtekClaims.Subject;
                parameters.RoleClaimType = BimtekClaims.Roles;
                jwt.TokenValidationParameters = parameters;
                jwt.UseVerifiedTokenCache();
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(new StatusAuthorizationResultHandler(
            "Bearer", "A bearer token signed by the gateway is required: call the suite through the gateway."));

        services.AddHttpClient<GatewayServiceTokenSource>();
        services.TryAddSingleton<IServiceTokenSource>(sp => sp.GetRequiredService<GatewayServiceTokenSource>());
        return builder;
    }
}

/// <summary>
/// Reads the gateway's public key from configuration or from a file. The file is read lazily and
/// re-read while missing, because in the local run the gateway may write it after this service starts.
/// </summary>
public sealed class VerificationKeyProvider(IOptions<AuthOptions> options)
{
    private SecurityKey[]? _keys;

    public IEnumerable<SecurityKey> Keys()
    {
        if (_keys is not null)
        {
            return _keys;
        }
        var pem = options.Value.PublicKeyPem;
        if (string.IsNullOrWhiteSpace(pem) && !string.IsNullOrEmpty(options.Value.PublicKeyFile) && File.Exists(options.Value.PublicKeyFile))
        {
            pem = File.ReadAllText(options.Value.PublicKeyFile);
        }
        if (string.IsNullOrWhiteSpace(pem))
        {
            return [];
        }
        _keys = [SigningKeys.FromPem(pem)];
        return _keys;
    }
}
