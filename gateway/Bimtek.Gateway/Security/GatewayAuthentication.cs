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
/// Who is calling: an API key (systems, integrators), a person's JWT from the suite's identity service
/// (trusted through its discovery document, <c>Gateway:Jwt:Authority</c>) or from a configured outside issuer
/// (<c>Gateway:Jwt:Issuer</c> with its public keys), or a token this gateway issued (a service's background relay).
/// One policy scheme picks the handler per request by the token's issuer; every handler yields the same
/// <c>sub</c> + <c>roles</c> shape (<see cref="GatewayIdentity"/>), and a person's token never keeps <c>service</c>.
/// </summary>
public static class GatewayAuthentication
{
    public const string SelectorScheme = "Gateway";
    public const string PersonScheme = "PersonJwt";
    public const string IdentityScheme = "IdentityJwt";
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
            .AddJwtBearer(IdentityScheme)
            .AddJwtBearer(GatewayTokenScheme);

        services.AddOptions<JwtBearerOptions>(PersonScheme)
            .Configure<IOptions<GatewayOptions>>((jwt, gateway) => ConfigurePersonTokens(jwt, gateway.Value.Jwt).UseVerifiedTokenCache());
        services.AddOptions<JwtBearerOptions>(IdentityScheme)
            .Configure<IOptions<GatewayOptions>>((jwt, gateway) => ConfigureIdentityTokens(jwt, gateway.Value.Jwt).UseVerifiedTokenCache());
        services.AddOptions<JwtBearerOptions>(GatewayTokenScheme)
            .Configure<IOptions<GatewayOptions>, GatewaySigningKey>((jwt, gateway, key) => ConfigureGatewayTokens(jwt, gateway.Value, key).UseVerifiedTokenCache());
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
            var settings = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var issuer = PeekIssuer(authorization["Bearer ".Length..].Trim());
            if (issuer == settings.Issuer)
            {
                return GatewayTokenScheme;
            }
            if (issuer is not null && IsIdentityIssuer(settings.Jwt, issuer))
            {
                return IdentityScheme;
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

    /// <summary>The identity service's issuer is its authority URL (with or without the trailing slash).</summary>
    private static bool IsIdentityIssuer(ExternalJwtOptions settings, string issuer) =>
        !string.IsNullOrWhiteSpace(settings.Authority)
        && string.Equals(issuer.TrimEnd('/'), settings.Authority.TrimEnd('/'), StringComparison.Ordinal);

    /// <summary>
    /// Tokens of the suite's identity service: keys (and their rotation) from its discovery document and JWKS,
    /// issuer and audience checked, and the same normalisation as any person's token (no <c>service</c> role).
    /// </summary>
    private static JwtBearerOptions ConfigureIdentityTokens(JwtBearerOptions jwt, ExternalJwtOptions settings)
    {
        jwt.MapInboundClaims = false;
        // The identity service is reached inside the deployment's network; TLS ends at its edge.
        jwt.RequireHttpsMetadata = false;
        if (string.IsNullOrWhiteSpace(settings.Authority))
        {
            return jwt;
        }
        var authority = settings.Authority.TrimEnd('/') + "/";
        jwt.Authority = authority;
        jwt.MetadataAddress = authority + ".well-known/openid-configuration";
        if (!string.IsNullOrWhiteSpace(settings.BackchannelAddress))
        {
            jwt.BackchannelHttpHandler = new BackchannelRewrite(new Uri(authority), new Uri(settings.BackchannelAddress))
            {
                InnerHandler = new SocketsHttpHandler(),
            };
        }
        var rules = TokenValidation.Parameters(issuer: null, settings.Audience,
            settings.ClockSkew < MaxClockSkew ? settings.ClockSkew : MaxClockSkew, _acceptedAlgorithms);
        // OpenIddict names its issuer with the trailing slash; accept the authority either way.
        rules.ValidIssuers = [authority, authority.TrimEnd('/')];
        jwt.TokenValidationParameters = rules;
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                context.Principal = Normalise(context.Principal!, IdentityScheme, BimtekClaims.Subject, BimtekClaims.Roles, GatewayIdentity.PersonRoles, BimtekClaims.Office);
                if (string.IsNullOrEmpty(GatewayIdentity.SubjectOf(context.Principal)))
                {
                    context.Fail("The token has no subject.");
                }
                return Task.CompletedTask;
            },
        };
        return jwt;
    }

    private static JwtBearerOptions ConfigurePersonTokens(JwtBearerOptions jwt, ExternalJwtOptions settings)
    {
        jwt.MapInboundClaims = false;
        jwt.RequireHttpsMetadata = false;
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
                context.Principal = Normalise(context.Principal!, PersonScheme, settings.SubjectClaim, settings.RoleClaim, GatewayIdentity.PersonRoles, settings.OfficeClaim);
                if (string.IsNullOrEmpty(GatewayIdentity.SubjectOf(context.Principal)))
                {
                    context.Fail("The token has no subject.");
                }
                return Task.CompletedTask;
            },
        };
        return jwt;
    }

    private static JwtBearerOptions ConfigureGatewayTokens(JwtBearerOptions jwt, GatewayOptions settings, GatewaySigningKey key)
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
                context.Principal = Normalise(context.Principal!, GatewayTokenScheme, BimtekClaims.Subject, BimtekClaims.Roles, GatewayIdentity.AllRoles, BimtekClaims.Office);
                return Task.CompletedTask;
            },
        };
        return jwt;
    }

    /// <summary>Keeps the subject, the allowed roles (a JSON array, or one space-separated string) and the office.</summary>
    private static ClaimsPrincipal Normalise(ClaimsPrincipal principal, string scheme, string subjectClaim, string roleClaim, IReadOnlySet<string> allowed,
        string officeClaim)
    {
        var subject = principal.FindFirstValue(subjectClaim) ?? "";
        var roles = principal.FindAll(roleClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return GatewayIdentity.Create(scheme, subject, roles, allowed, principal.FindFirstValue(officeClaim));
    }
}

/// <summary>Sends the gateway's requests for the identity service's discovery document and keys to its inside address.</summary>
internal sealed class BackchannelRewrite(Uri authority, Uri inside) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && Uri.Compare(uri, authority, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = inside.Scheme, Host = inside.Host, Port = inside.Port }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
