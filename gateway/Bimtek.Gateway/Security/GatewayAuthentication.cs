using System.Security.Claims;
using Bimtek.Gateway.Hosting;
using Bimtek.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Gateway.Security;

/// <summary>
/// Who is calling: an API key (systems, integrators), a person's JWT from the configured identity provider,
/// or a token this gateway issued (a service's background relay). One policy scheme picks the handler per
/// request; every handler yields the same <c>sub</c> + <c>roles</c> shape (<see cref="GatewayIdentity"/>).
/// </summary>
public static class GatewayAuthentication
{
    public const string SelectorScheme = "Gateway";
    public const string PersonScheme = "PersonJwt";
    public const string GatewayTokenScheme = "GatewayJwt";

    /// <summary>Clock skew allowed on people's tokens, whatever is configured.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    private static readonly string[] _acceptedAlgorithms =
    [
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.RsaSha256,
        SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512, SecurityAlgorithms.RsaSsaPssSha256,
    ];

    public static IHostApplicationBuilder AddGatewayAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<GatewaySigningKey>();
        services.AddSingleton<GatewayTokenIssuer>();

        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API key or bearer token", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { })
            .AddJwtBearer(PersonScheme)
            .AddJwtBearer(GatewayTokenScheme);

        services.AddOptions<JwtBearerOptions>(PersonScheme)
            .Configure<IOptions<GatewayOptions>>((jwt, gateway) => ConfigurePersonTokens(jwt, gateway.Value.Jwt));
        services.AddOptions<JwtBearerOptions>(GatewayTokenScheme)
            .Configure<IOptions<GatewayOptions>, GatewaySigningKey>((jwt, gateway, key) => ConfigureGatewayTokens(jwt, gateway.Value, key));
        return builder;
    }

    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var issuer = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.Issuer;
            if (PeekIssuer(authorization["Bearer ".Length..].Trim()) == issuer)
            {
                return GatewayTokenScheme;
            }
        }
        return PersonScheme;
    }

    /// <summary>Reads the unvalidated issuer only to choose the validating scheme.</summary>
    private static string? PeekIssuer(string token)
    {
        try
        {
            return new JsonWebToken(token).Issuer;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void ConfigurePersonTokens(JwtBearerOptions jwt, ExternalJwtOptions settings)
    {
        jwt.MapInboundClaims = false;
        jwt.RequireHttpsMetadata = false;
        if (!string.IsNullOrWhiteSpace(settings.Authority))
        {
            jwt.Authority = settings.Authority;
        }
        var keys = settings.SigningKeysPem
            .Concat(settings.SigningKeyFiles.Where(File.Exists).Select(File.ReadAllText))
            .Where(pem => !string.IsNullOrWhiteSpace(pem))
            .Select(SigningKeys.FromPem)
            .ToList();
        jwt.TokenValidationParameters = TokenValidation.Parameters(settings.Issuer, settings.Audience,
            settings.ClockSkew < MaxClockSkew ? settings.ClockSkew : MaxClockSkew, _acceptedAlgorithms);
        jwt.TokenValidationParameters.IssuerSigningKeys = keys;
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                context.Principal = Normalise(context.Principal!, PersonScheme, settings.SubjectClaim, settings.RoleClaim, GatewayIdentity.PersonRoles);
                if (string.IsNullOrEmpty(GatewayIdentity.SubjectOf(context.Principal)))
                {
                    context.Fail("The token has no subject.");
                }
                return Task.CompletedTask;
            },
        };
    }

    private static void ConfigureGatewayTokens(JwtBearerOptions jwt, GatewayOptions settings, GatewaySigningKey key)
    {
        jwt.MapInboundClaims = false;
        jwt.RequireHttpsMetadata = false;
        jwt.TokenValidationParameters = TokenValidation.Parameters(settings.Issuer, settings.Audience, MaxClockSkew,
            [SigningKeys.AlgorithmFor(key.Key)]);
        jwt.TokenValidationParameters.IssuerSigningKey = key.Key;
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                context.Principal = Normalise(context.Principal!, GatewayTokenScheme, BimtekClaims.Subject, BimtekClaims.Roles, GatewayIdentity.AllRoles);
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>Keeps the subject and the allowed roles (a JSON array, or one space-separated string).</summary>
    private static ClaimsPrincipal Normalise(ClaimsPrincipal principal, string scheme, string subjectClaim, string roleClaim, IReadOnlySet<string> allowed)
    {
        var subject = principal.FindFirstValue(subjectClaim) ?? "";
        var roles = principal.FindAll(roleClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return GatewayIdentity.Create(scheme, subject, roles, allowed);
    }
}
