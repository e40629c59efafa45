using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Bimtek.Gateway.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bimtek.Gateway.Security;

/// <summary>
/// <c>X-Api-Key</c>: the key's SHA-256 is compared (in constant time) with the hashes in
/// <c>Gateway:ApiKeys</c>; the matching entry names the client (subject) and its roles.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<GatewayOptions> gateway)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var presented = values.ToString();
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var (name, client) in gateway.CurrentValue.ApiKeys)
        {
            if (TryParseHex(client.Sha256, out var expected) && CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                var principal = GatewayIdentity.Create(SchemeName, string.IsNullOrEmpty(client.Subject) ? name : client.Subject,
                    client.Roles, GatewayIdentity.AllRoles, client.Office);
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
            }
        }
        return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
    }

    /// <summary>Lower-case hex SHA-256 of a secret, as stored in configuration.</summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    internal static bool TryParseHex(string hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length != 64)
        {
            return false;
        }
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
