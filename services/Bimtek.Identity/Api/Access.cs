using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Identity.Api;

/// <summary>
/// Who may call what: account changes come only from other services' relays (<c>service</c>); codes are
/// issued by operators and instructors (checked in <see cref="Application.OneTimeSecretService"/>), invitations by operators
/// (an operator account by its office's operators and its province's only: <see cref="Domain.StaffOffices"/>).
/// </summary>
internal static class Access
{
    public static Caller RequireService(Caller caller) => caller.Require(Roles.Service);
}
