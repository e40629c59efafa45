using System.Collections.Immutable;
using System.Security.Claims;
using Bimtek.Identity.Data;
using Bimtek.Identity.Hosting;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bimtek.Identity.Api;

/// <summary>
/// The OpenID Connect endpoints OpenIddict hands to the application: authorize (turns the signed-in account
/// into a principal), token (code and refresh grants re-read the account, so a disabled one gets nothing;
/// client credentials for configured systems) and end session. Everything about tokens is OpenIddict's.
/// </summary>
internal static class AuthorizationEndpoints
{
    public const string OfficeClaim = "office";

    public static IEndpointRouteBuilder MapAuthorizationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapPost("/connect/token", TokenAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapMethods("/connect/endsession", ["GET", "POST"], EndSessionAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, IdentityDb db, IOptions<IdentityServiceOptions> options, SignInManager<Account> signIn)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var account = cookie.Succeeded ? await signIn.ValidateSecurityStampAsync(cookie.Principal) : null;
        if (account is null || account.Disabled || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The person is not signed in.");
            }
            // Back here after signing in: the same request minus prompt=login.
            var parameters = http.Request.HasFormContentType ? [.. http.Request.Form] : http.Request.Query.ToList();
            var query = QueryString.Create(parameters.Where(p => p.Key != Parameters.Prompt || !request.HasPromptValue(PromptValues.Login)));
            if (account is not null)
            {
                await signIn.SignOutAsync();
            }
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + query },
                [IdentityConstants.ApplicationScheme]);
        }
        return SignIn(account, request.GetScopes(), options.Value);
    }

    private static async Task<IResult> TokenAsync(HttpContext http, IdentityDb db, IOptions<IdentityServiceOptions> options, OfficeScope offices)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            if (request.ClientId is null || !options.Value.Systems.TryGetValue(request.ClientId, out var system))
            {
                return Forbid(Errors.UnauthorizedClient, "This client may not use client credentials.");
            }
            var identity = NewIdentity();
            identity.SetClaim(Claims.Subject, request.ClientId)
                .SetClaims(BimtekClaims.Roles, [.. system.Roles.Where(r => r != Roles.Service)])
                .SetClaim(OfficeClaim, offices.Resolve(system.Office));
            return Principal(identity, request.GetScopes(), options.Value);
        }
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var subject = result.Principal?.GetClaim(Claims.Subject);
            var account = subject is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(a => a.Subject == subject, http.RequestAborted);
            if (account is null || account.Disabled)
            {
                return Forbid(Errors.InvalidGrant, "The account is disabled.");
            }
            return SignIn(account, result.Principal!.GetScopes(), options.Value);
        }
        return Forbid(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private static async Task<IResult> EndSessionAsync(SignInManager<Account> signIn)
    {
        await signIn.SignOutAsync();
        // OpenIddict redirects to the post_logout_redirect_uri only when the client registered it.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/account/signin" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult SignIn(Account account, ImmutableArray<string> scopes, IdentityServiceOptions options)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, account.Subject)
            .SetClaim(Claims.Name, account.DisplayName)
            .SetClaims(BimtekClaims.Roles, [account.Role])
            .SetClaim(OfficeClaim, account.Office);
        return Principal(identity, scopes, options);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, BimtekClaims.Roles);

    private static IResult Principal(ClaimsIdentity identity, ImmutableArray<string> scopes, IdentityServiceOptions options)
    {
        identity.SetScopes(scopes);
        identity.SetResources(options.Audience);
        identity.SetAudiences(options.Audience);
        // Every claim goes into the access token (the gateway reads sub, roles, office); the name also into the identity token.
        identity.SetDestinations(claim => claim.Type == Claims.Name
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Forbid(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
