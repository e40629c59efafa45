namespace Bimtek.Gateway.Hosting;

/// <summary>The gateway's own settings (<c>Gateway:*</c>); routes and clusters live in <c>ReverseProxy:*</c>.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Issuer of the tokens the gateway signs for the services.</summary>
    public string Issuer { get; set; } = "bimtek-gateway";

    /// <summary>Audience of those tokens (what the services expect).</summary>
    public string Audience { get; set; } = "bimtek-services";

    /// <summary>PEM of the gateway's private signing key (ECDSA P-256 or RSA). Wins over <see cref="SigningKeyFile"/>.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>File holding that PEM.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>
    /// When no key is configured: generate an ECDSA P-256 key pair under <see cref="DataDirectory"/>/keys on
    /// first start and reuse it afterwards (the local run). Set false in deployments so a missing key fails fast.
    /// </summary>
    public bool GenerateSigningKeyIfMissing { get; set; } = true;

    /// <summary>Folder of generated files (the development key pair).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Lifetime of the per-request token forwarded to a service.</summary>
    public TimeSpan ForwardedTokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Lifetime of a client-credentials token (background relays).</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>API keys of systems and integrators, by client name.</summary>
    public Dictionary<string, ApiKeyClient> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Clients of <c>POST /connect/token</c> (the services' background relays), by client id.</summary>
    public Dictionary<string, ServiceClient> ServiceClients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bearer tokens of people, from the office's identity provider.</summary>
    public ExternalJwtOptions Jwt { get; set; } = new();

    /// <summary>The public client the identity service registered for the dashboard (code + PKCE).</summary>
    public string DashboardClientId { get; set; } = "bimtek-dashboard";

    public RateLimitOptions RateLimit { get; set; } = new();

    public CorsOptions Cors { get; set; } = new();

    /// <summary>How long <c>/readyz</c> waits for one downstream <c>/readyz</c>.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>An API key: only its SHA-256 (hex) is stored; it names its client (the subject) and roles.</summary>
public sealed class ApiKeyClient
{
    /// <summary>Lower- or upper-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>The subject forwarded to services; the client name when empty.</summary>
    public string? Subject { get; set; }

    public List<string> Roles { get; set; } = [];

    /// <summary>The office the key belongs to (forwarded as the <c>office</c> claim); empty: the deployment's default office.</summary>
    public string? Office { get; set; }
}

/// <summary>A client-credentials client: hex SHA-256 of its secret and the roles its token carries.</summary>
public sealed class ServiceClient
{
    public string SecretSha256 { get; set; } = "";

    public List<string> Roles { get; set; } = ["service"];
}

/// <summary>
/// Validation of people's JWTs: from the suite's identity service (<see cref="Authority"/>, keys from its discovery
/// document) and/or from an outside issuer (<see cref="Issuer"/> with public keys from configuration). Both use
/// <see cref="Audience"/>.
/// </summary>
public sealed class ExternalJwtOptions
{
    /// <summary>The outside issuer (national SSO, an office's Keycloak), validated with <see cref="SigningKeysPem"/> / <see cref="SigningKeyFiles"/>.</summary>
    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>PEM public keys (ECDSA or RSA) that may sign the outside issuer's tokens.</summary>
    public List<string> SigningKeysPem { get; set; } = [];

    /// <summary>Files holding such PEM public keys.</summary>
    public List<string> SigningKeyFiles { get; set; } = [];

    /// <summary>
    /// The suite's identity service (its issuer URL, e.g. <c>http://127.0.0.1:5116/</c>): tokens it issued are
    /// validated with the keys of its discovery document, which follow its key rotation.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>
    /// The identity service's address as the gateway reaches it, when browsers reach it elsewhere (compose:
    /// <c>http://identity:8080/</c>): discovery and JWKS are fetched there instead of at <see cref="Authority"/>.
    /// </summary>
    public string? BackchannelAddress { get; set; }

    /// <summary>Capped at 30 seconds whatever is configured.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Claim carrying the roles (a JSON array or one string).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Claim carrying the subject.</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>Claim carrying the person's office (outside issuer; the identity service's is <c>office</c>).</summary>
    public string OfficeClaim { get; set; } = "office";
}

/// <summary>Token bucket per client (authenticated subject, else remote address).</summary>
public sealed class RateLimitOptions
{
    public int TokenLimit { get; set; } = 200;

    public int TokensPerPeriod { get; set; } = 100;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Overrides by client subject.</summary>
    public Dictionary<string, ClientRateLimit> Clients { get; set; } = new(StringComparer.Ordinal);
}

public sealed class ClientRateLimit
{
    public int? TokenLimit { get; set; }

    public int? TokensPerPeriod { get; set; }
}

/// <summary>Browser origins allowed to call the gateway; none by default (CORS off).</summary>
public sealed class CorsOptions
{
    public List<string> AllowedOrigins { get; set; } = [];

    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);
}
