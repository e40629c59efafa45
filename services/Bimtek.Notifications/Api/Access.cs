using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Notifications.Api;

/// <summary>
/// Who may call what: events come only from other services' relays (<c>service</c>); contacts are set by operators
/// and services; a person reads their own contact and messages, operators and services anyone's. A caller reading
/// another person's record gets PERMISSION_DENIED whether or not it exists.
/// </summary>
internal static class Access
{
    public static Caller RequireService(Caller caller) => caller.Require(Roles.Service);

    public static Caller RequireContactWriter(Caller caller) => caller.Require(Roles.Operator, Roles.Service);

    public static void RequireSelfOrOffice(Caller caller, string subject)
    {
        if (caller.IsAny(Roles.Operator, Roles.Service) || (caller.Subject.Length > 0 && caller.Subject == subject))
        {
            return;
        }
        throw new PermissionDeniedException();
    }
}
