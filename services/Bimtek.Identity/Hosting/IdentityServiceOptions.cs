namespace Bimtek.Identity.Hosting;

/// <summary>Settings of the identity service (<c>Identity:*</c>).</summary>
public sealed class IdentityServiceOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// The issuer URL (<c>iss</c> of every token, and the base of the discovery document and sign-in links),
    /// as browsers reach this service, e.g. <c>http://127.0.0.1:5116/</c>. The request's own address when empty.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>The audience of access tokens: what the gateway expects (<c>Gateway:Jwt:Audience</c>).</summary>
    public string Audience { get; set; } = "bimtek-api";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>A refresh token used again after this leeway revokes its whole family (0: at once).</summary>
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.Zero;

    /// <summary>Folder of generated keys when none are configured (the local run).</summary>
    public string KeyDirectory { get; set; } = "data/keys";

    /// <summary>
    /// Generate a signing key (RSA) and an encryption key into <see cref="KeyDirectory"/> on first start when
    /// none is configured. Set false in deployments, where keys come from secrets.
    /// </summary>
    public bool GenerateKeysIfMissing { get; set; } = true;

    /// <summary>PEM files of RSA private signing keys, newest first: the first signs, all are published (rotation).</summary>
    public List<string> SigningKeyFiles { get; set; } = [];

    /// <summary>File holding a base64 256-bit key that encrypts authorization codes and refresh tokens.</summary>
    public string? EncryptionKeyFile { get; set; }

    /// <summary>
    /// Deprecated (kept for one release): the office of accounts and systems that name none is the deployment's one
    /// default office, <c>Offices:Default</c>, as in every service. When this is set and <c>Offices:Default</c> is not,
    /// it still serves as <c>Offices:Default</c> (a warning at start says so); when both are set, <c>Offices:Default</c>
    /// wins.
    /// </summary>
    public string? DefaultOffice { get; set; }

    /// <summary>Where a browser goes after signing in without a pending authorization request (the dashboard).</summary>
    public string DefaultReturnUrl { get; set; } = "/account/signed-in";

    /// <summary>The dashboard: a public client using authorization code + PKCE.</summary>
    public PublicClientOptions Dashboard { get; set; } = new();

    /// <summary>Systems using client credentials, by client id (roles never include <c>service</c>).</summary>
    public Dictionary<string, SystemClientOptions> Systems { get; set; } = new(StringComparer.Ordinal);

    /// <summary>An operator account created at start when set (the local run prints it).</summary>
    public DevelopmentAccountOptions? DevelopmentOperator { get; set; }

    /// <summary>Serve <c>/dev/inbox</c> with the messages the local sender "sent" (never in a deployment).</summary>
    public bool DevInbox { get; set; }

    /// <summary>Sign-in codes go to the notifications service (its real channels) instead of the dev inbox.</summary>
    public bool SendThroughNotifications { get; set; }

    public TimeSpan SignInCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    public int MaxFailedPasswordAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public AttemptLimits Limits { get; set; } = new();
}

public sealed class PublicClientOptions
{
    public string ClientId { get; set; } = "bimtek-dashboard";

    public string DisplayName { get; set; } = "Bimtek dashboard";

    /// <summary>Exact redirect URIs; any other is refused.</summary>
    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];
}

public sealed class SystemClientOptions
{
    /// <summary>The client secret (from a secret store); OpenIddict keeps only its hash.</summary>
    public string Secret { get; set; } = "";

    public List<string> Roles { get; set; } = ["integrator"];

    public string Office { get; set; } = "";
}

public sealed class DevelopmentAccountOptions
{
    public string Email { get; set; } = "";

    public string Password { get; set; } = "";

    public string Subject { get; set; } = "dev-operator";
}

/// <summary>Windows of the sign-in limits (429 with Retry-After when exceeded).</summary>
public sealed class AttemptLimits
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Code sign-in attempts per person (by the name typed) per window.</summary>
    public int CodeAttemptsPerPerson { get; set; } = 5;

    /// <summary>Sign-in attempts (codes and passwords) per client address per window.</summary>
    public int AttemptsPerAddress { get; set; } = 30;

    /// <summary>Codes issued per person per window.</summary>
    public int CodesIssuedPerPerson { get; set; } = 5;
}
