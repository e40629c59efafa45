namespace Bimtek.ServiceDefaults.Security;

/// <summary>
/// How services trust the gateway's tokens (<c>Auth:*</c>). Only the public key is needed: a
/// service can verify a token but never mint one.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "bimtek-gateway";

    public string Audience { get; set; } = "bimtek-services";

    /// <summary>PEM of the gateway's public signing key (ECDSA P-256 or RSA).</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>File holding that PEM; read when first needed (the local run writes it on first start).</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>The gateway's client-credentials endpoint that issues this service's own token.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>This service's client id and secret (an API key) at the token endpoint.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
