using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Identity.Domain;

/// <summary>
/// The roles an account can hold, by the kind of person it follows. Never <c>service</c> or
/// <c>integrator</c>: those are systems' roles, and a person's token carrying them is refused
/// by the gateway anyway.
/// </summary>
internal static class AccountRoles
{
    public static string? ToRole(AccountRole role) => role switch
    {
        AccountRole.Trainee => Roles.Trainee,
        AccountRole.Instructor => Roles.Instructor,
        AccountRole.HealthExpert => Roles.HealthExpert,
        AccountRole.Operator => Roles.Operator,
        AccountRole.Recipient => Roles.Recipient,
        _ => null,
    };

    /// <summary>Staff and recipient users sign in with a password (set through an invitation); trainees with codes.</summary>
    public static bool SignsInWithPassword(string role) => role != Roles.Trainee;

    /// <summary>Whether <paramref name="caller"/> may issue a trainee's sign-in code.</summary>
    public static bool MayIssueCodes(Caller caller) => caller.IsAny(Roles.Operator, Roles.Instructor);
}
