using Bimtek.Data.Persistence;
using Bimtek.Materials.Data;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Materials.Api;

/// <summary>
/// Who may do what. Operators manage stock; integrators and services read; instructors and
/// health experts read; a trainee reads only their own home. A trainee's home is theirs when
/// the home's trainee_subject (given in the kit plan from participants' Person.subject) equals
/// the caller's subject, or when the trainee id itself is the caller's subject. Operators and integrators see and
/// change only the locations of their office (a province also its districts'; <see cref="OfficeScope"/>), and with them
/// their balances, lots and ledger entries; another office's location is answered as an unknown id.
/// </summary>
internal static class Access
{
    private static readonly string[] _readers =
        [Roles.Operator, Roles.Integrator, Roles.Service, Roles.Instructor, Roles.HealthExpert];

    public static Caller Operator(Caller caller) => caller.Require(Roles.Operator);

    public static bool IsStaffReader(Caller caller) => caller.IsAny(_readers);

    public static Caller StaffReader(Caller caller) => caller.Require(_readers);

    /// <summary>Catalogue reads: every authenticated role (a trainee needs the BOM of what they make).</summary>
    public static Caller AnyRole(Caller caller) => caller.Require([.. Roles.All]);

    /// <summary>Whether the caller's office covers the location's (callers that are not office-scoped: always).</summary>
    public static bool CoversLocation(Caller caller, OfficeScope scope, LocationRow location) =>
        !caller.IsOfficeScoped || scope.Covers(caller.Office, location.Office);

    /// <summary>Offices whose locations the caller sees ("" stands for the default office's unstamped ones); null: all.</summary>
    public static IReadOnlyList<string>? VisibleOffices(Caller caller, OfficeScope scope)
    {
        if (!caller.IsOfficeScoped)
        {
            return null;
        }
        var visible = scope.Visible(caller.Office);
        return visible.Contains(scope.DefaultOffice) ? [.. visible, ""] : visible;
    }

    public static bool IsOwnHome(Caller caller, LocationRow location) =>
        location.Kind == (int)LocationKind.TraineeHome && caller.Subject.Length > 0
        && (location.TraineeSubject == caller.Subject || location.TraineeId == caller.Subject);

    /// <summary>Staff, or a trainee reading their own home; PERMISSION_DENIED otherwise, whether or not it exists.</summary>
    public static async Task EnsureCanReadLocationAsync(Caller caller, DbSession db, string locationId)
    {
        if (IsStaffReader(caller))
        {
            return;
        }
        if (caller.Is(Roles.Trainee) && Guid.TryParse(locationId, out _)
            && await Queries.LocationAsync(db, locationId) is { } location && IsOwnHome(caller, location))
        {
            return;
        }
        throw new PermissionDeniedException("A trainee may read only their own home.");
    }

    /// <summary>Staff, or the trainee themself.</summary>
    public static async Task EnsureCanReadTraineeAsync(Caller caller, DbSession db, string traineeId)
    {
        if (IsStaffReader(caller))
        {
            return;
        }
        if (caller.Is(Roles.Trainee))
        {
            if (traineeId == caller.Subject)
            {
                return;
            }
            if (Guid.TryParse(traineeId, out _) && await Queries.HomeAsync(db, traineeId) is { } home && IsOwnHome(caller, home))
            {
                return;
            }
        }
        throw new PermissionDeniedException("A trainee may read only their own stock, capacity and yield.");
    }
}
