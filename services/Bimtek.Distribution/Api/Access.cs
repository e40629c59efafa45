using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Distribution.Api;

/// <summary>
/// Who may see and do what: operators manage recipients and hand over; a recipient's users
/// (role recipient, subject listed on the recipient) act and read for their own agency only;
/// integrators and other services read everything. Operators and integrators see, and hand over to, only the
/// recipients of their office (a province also its districts'; <see cref="OfficeScope"/>); another office's recipient is
/// answered as an unknown id.
/// </summary>
internal static class Access
{
    /// <summary>Whether the caller's office covers the recipient's (callers that are not office-scoped: always).</summary>
    public static bool CoversRecipient(Caller caller, OfficeScope scope, RecipientRow recipient) =>
        !caller.IsOfficeScoped || scope.Covers(caller.Office, recipient.Office);

    /// <summary>Offices whose recipients the caller lists ("" stands for the default office's unstamped ones); null: all.</summary>
    public static IReadOnlyList<string>? VisibleOffices(Caller caller, OfficeScope scope)
    {
        if (!caller.IsOfficeScoped)
        {
            return null;
        }
        var visible = scope.Visible(caller.Office);
        return visible.Contains(scope.DefaultOffice) ? [.. visible, ""] : visible;
    }

    /// <summary>
    /// The office a new recipient belongs to: the caller's unless a province names one of its districts
    /// (<paramref name="requested"/>); PERMISSION_DENIED for an office the caller's does not cover.
    /// </summary>
    public static string OfficeOfNewRecipient(Caller caller, OfficeScope scope, string requested)
    {
        var office = string.IsNullOrWhiteSpace(requested) ? scope.Resolve(caller.Office) : requested.Trim();
        if (caller.IsOfficeScoped && !scope.Covers(caller.Office, office))
        {
            throw new PermissionDeniedException($"Recipients of office '{office}' are created by that office or its province.");
        }
        return office;
    }

    public static bool ReadsEverything(Caller caller) => caller.IsAny(Roles.Operator, Roles.Integrator, Roles.Service);

    /// <summary>
    /// For reads: null when the caller sees every recipient's records; the caller's subject when
    /// they see only the agencies that list them; PERMISSION_DENIED for anyone else.
    /// </summary>
    public static string? ReadScope(Caller caller) =>
        ReadsEverything(caller) ? null
        : caller.Is(Roles.Recipient) && caller.Subject.Length > 0 ? caller.Subject
        : throw new PermissionDeniedException("Distribution records are read by operators, integrators and recipients' users.");

    /// <summary>Reads of one recipient's records: PERMISSION_DENIED, whether or not it exists, unless the caller may see it.</summary>
    public static async Task EnsureMayReadAsync(DbSession db, Caller caller, string recipientId)
    {
        var scope = ReadScope(caller);
        if (scope is not null && !await RecipientStore.IsUserAsync(db, recipientId, scope))
        {
            throw new PermissionDeniedException();
        }
    }

    /// <summary>Acting for a recipient (confirming, passing on): operators, or the recipient's own users.</summary>
    public static async Task EnsureMayActForAsync(DbSession db, Caller caller, string recipientId)
    {
        if (caller.Is(Roles.Operator))
        {
            return;
        }
        if (caller.Is(Roles.Recipient) && caller.Subject.Length > 0 && await RecipientStore.IsUserAsync(db, recipientId, caller.Subject))
        {
            return;
        }
        throw new PermissionDeniedException("Only the recipient's own users or an operator may do this for the recipient.");
    }
}
