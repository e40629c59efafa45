using System.Security.Cryptography;
using System.Text;
using Bimtek.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Bimtek.Gateway.Security;

/// <summary>
/// <c>POST /connect/token</c> (OAuth 2.0 client credentials, form-encoded): a configured service client
/// (<c>Gateway:ServiceClients</c>, secrets stored as SHA-256) gets a gateway-signed token with its roles
/// (<c>service</c>) for its background relays. Anonymous at the endpoint level: the client authenticates here.
/// </summary>
public static partial class TokenEndpoint
{
    public const string Path = "/connect/token";

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, IssueAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> IssueAsync(HttpContext context, IOptionsMonitor<GatewayOptions> options, GatewayTokenIssuer issuer,
        ILoggerFactory loggers)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "Send application/x-www-form-urlencoded.");
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only client_credentials is supported.");
        }
        var clientId = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        if (string.IsNullOrEmpty(clientId) && context.Request.Headers.Authorization.ToString() is { } basic
            && basic.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            (clientId, secret) = ParseBasic(basic["Basic ".Length..].Trim());
        }
        var settings = options.CurrentValue;
        if (!settings.ServiceClients.TryGetValue(clientId, out var client) || !SecretMatches(secret, client.SecretSha256))
        {
            LogRejected(loggers.CreateLogger(typeof(TokenEndpoint)), clientId);
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", "Unknown client or wrong secret.");
        }
        var lifetime = settings.ServiceTokenLifetime;
        var token = issuer.Issue(clientId, client.Roles.Where(GatewayIdentity.AllRoles.Contains), lifetime);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)lifetime.TotalSeconds,
        });
    }

    private static bool SecretMatches(string secret, string expectedHex) =>
        !string.IsNullOrEmpty(secret)
        && ApiKeyAuthenticationHandler.TryParseHex(expectedHex, out var expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), expected);

    private static (string Id, string Secret) ParseBasic(string value)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? ("", "") : (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return ("", "");
        }
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token request rejected for client {ClientId}")]
    private static partial void LogRejected(ILogger logger, string clientId);
}
