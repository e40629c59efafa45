using Microsoft.AspNetCore.Identity;

namespace Bimtek.Identity.Data;

/// <summary>
/// A person's account: ASP.NET Core Identity's user (password hash, lockout, e-mail, phone) plus
/// the link to the person (<see cref="Subject"/>, the <c>sub</c> of every token), the one role
/// the person holds in the suite, their office, and whether they may sign in.
/// </summary>
public sealed class Account : IdentityUser
{
    /// <summary>The person's subject in participants or distribution; unique.</summary>
    public string Subject { get; set; } = "";

    /// <summary>trainee, instructor, health_expert, operator or recipient.</summary>
    public string Role { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>District office or province the account belongs to.</summary>
    public string Office { get; set; } = "";

    /// <summary>A disabled account gets no new tokens (refresh included) and cannot sign in.</summary>
    public bool Disabled { get; set; }

    /// <summary>Sender's time of the last change applied (older changes arriving late are ignored).</summary>
    public long ChangedAtMs { get; set; }
}

/// <summary>A trainee's sign-in code or a staff invitation: hashed, single-use, short-lived.</summary>
public sealed class OneTimeSecret
{
    public string Id { get; set; } = "";

    /// <summary>The request that issued it; unique, so a retried request never issues a second secret.</summary>
    public string RequestId { get; set; } = "";

    public string AccountId { get; set; } = "";

    /// <summary><see cref="Purposes.SignInCode"/> or <see cref="Purposes.Invitation"/>.</summary>
    public string Purpose { get; set; } = "";

    public string Hash { get; set; } = "";

    public long ExpiresAtMs { get; set; }

    public long? UsedAtMs { get; set; }

    public long CreatedAtMs { get; set; }

    public static class Purposes
    {
        public const string SignInCode = "code";
        public const string Invitation = "invitation";
    }
}

/// <summary>An applied account change, keyed by the sender's outbox message id (the key decides).</summary>
public sealed class AppliedChange
{
    public string RequestId { get; set; } = "";

    public string Subject { get; set; } = "";

    public long AppliedAtMs { get; set; }
}
