using Bimtek.Data.Persistence;
using Bimtek.Materials.Application;
using Bimtek.Materials.Data;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Materials.Api;

/// <summary>
/// The materials gRPC service (and, through JSON transcoding, its REST surface). Split by area into partial
/// files: catalogue, locations, stock movements, stock queries, kits, capacity, yields (consumption for output is the
/// internal service, <see cref="MaterialsInternalGrpcService"/>). A handler checks
/// access, validates, makes one call (a use case of <c>Application/</c> for every write, a read of
/// <c>Data/</c> or of a use case for reads) and maps the answer (<see cref="ProtoMapping"/>).
/// </summary>
internal sealed partial class MaterialsGrpcService(
    Database database,
    ProgrammeOfficeCheck offices,
    OfficeScope scope,
    Catalogue catalogue,
    Locations locations,
    StockMovements movements,
    KitPlanning kits)
    : MaterialsService.MaterialsServiceBase
{
    /// <summary>Runs a read on its own connection.</summary>
    private Task<T> ReadAsync<T>(global::Grpc.Core.ServerCallContext context, Func<DbSession, Task<T>> read) =>
        database.ReadAsync(read, context.CancellationToken);

    /// <summary>An optional id: empty, or a UUID (the locations and stock-query handlers use it).</summary>
    private static RequestValidator OptionalId(RequestValidator validator, string field, string value) =>
        Validation.OptionalId(validator, field, value);

    private Task<LocationRow> RequireLocationAsync(DbSession db, Caller caller, string locationId) =>
        Lookups.RequireLocationAsync(db, caller, scope, locationId);

    /// <summary>Whether the caller's office covers either named location (a movement's source or destination; empty ids skipped).</summary>
    private async Task<bool> CoversEitherLocationAsync(DbSession db, Caller caller, params string[] locationIds)
    {
        if (!caller.IsOfficeScoped)
        {
            return true;
        }
        foreach (var id in locationIds.Where(id => id.Length > 0))
        {
            if (await Data.Queries.LocationAsync(db, id) is { } location && Access.CoversLocation(caller, scope, location))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The SQL filter on a location office column for the caller ("" when the caller sees every office).</summary>
    private string OfficeFilter(Caller caller, string column) =>
        Access.VisibleOffices(caller, scope) is null ? "" : $"AND {column} {database.Dialect.InList("offices")} ";

    /// <summary>The value of <c>@offices</c> for <see cref="OfficeFilter"/>.</summary>
    private string[] OfficesOf(Caller caller) => Access.VisibleOffices(caller, scope)?.ToArray() ?? [];

    private static int Limit(int pageSize) => RequestValidator.EffectivePageSize(pageSize);

    /// <summary>
    /// GetStockMovement (<c>MaterialsGrpcService.StockQueries.cs</c>, which the office-scoping work edits at the same
    /// time) reads a movement as a message through this name, which inside this class hides <see cref="Data.Queries"/>.
    /// It goes once that handler maps <see cref="MovementStore.FindAsync"/>'s row itself; do not add to it.
    /// </summary>
    private static class Queries
    {
        public static async Task<StockMovement?> MovementAsync(DbSession db, string movementId) =>
            await MovementStore.FindAsync(db, movementId) is { } stored ? ProtoMapping.ToMovement(stored) : null;
    }
}
