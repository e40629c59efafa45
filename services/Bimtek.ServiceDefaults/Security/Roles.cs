namespace Bimtek.ServiceDefaults.Security;

/// <summary>Role names carried in the gateway-signed token's <c>roles</c> claim.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Instructor = "instructor";
    public const string HealthExpert = "health_expert";
    public const string Trainee = "trainee";
    public const string Integrator = "integrator";
    public const string Recipient = "recipient";

    /// <summary>A background relay of another service (client-credentials identity).</summary>
    public const string Service = "service";

    public static readonly IReadOnlyList<string> All = [Operator, Instructor, HealthExpert, Trainee, Integrator, Recipient, Service];
}

/// <summary>Claim names of the gateway-signed token.</summary>
public static class BimtekClaims
{
    public const string Subject = "sub";
    public const string Roles = "roles";
    public const string Name = "name";

    /// <summary>The caller's office (a district office or the province), see <c>Bimtek.ServiceDefaults.Offices</c>.</summary>
    public const string Office = "office";
}
