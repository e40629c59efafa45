using Bimtek.Data.Persistence;
using Bimtek.Materials.Api;
using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Materials.Application;

/// <summary>The reads a use case needs to find before it acts: NOT_FOUND (or NO_BILL_OF_MATERIALS) when missing.</summary>
internal static class Lookups
{
    public static async Task<Dictionary<string, MaterialRow>> RequireMaterialsAsync(DbSession db, IEnumerable<string> materialIds)
    {
        var ids = materialIds.ToList();
        var found = await Queries.MaterialsAsync(db, ids);
        foreach (var id in ids.Where(id => !found.ContainsKey(id)))
        {
            throw new NotFoundException("material", id);
        }
        return found;
    }

    /// <summary>The location, when the caller's office covers it: another office's location is answered as an unknown id.</summary>
    public static async Task<LocationRow> RequireLocationAsync(DbSession db, Caller caller, OfficeScope scope, string locationId) =>
        await Queries.LocationAsync(db, locationId) is { } location && Access.CoversLocation(caller, scope, location)
            ? location
            : throw new NotFoundException("location", locationId);

    public static async Task<ProductRow> RequireProductAsync(DbSession db, string productId) =>
        await Queries.ProductAsync(db, productId) ?? throw new NotFoundException("product", productId);

    /// <summary>The product's current BOM; FAILED_PRECONDITION (NO_BILL_OF_MATERIALS) before its first.</summary>
    public static async Task<StoredBom> RequireCurrentBomAsync(DbSession db, ProductRow product) =>
        await CatalogueStore.CurrentBomAsync(db, product)
            ?? throw new PreconditionException(Reasons.NoBillOfMaterials, $"Product {product.Code} has no bill of materials yet.");
}
