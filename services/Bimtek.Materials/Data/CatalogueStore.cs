using Bimtek.Data.Persistence;
using Bimtek.Materials.Domain;

namespace Bimtek.Materials.Data;

/// <summary>
/// Materials, products and their bill-of-materials versions. Codes are unique (the insert that loses answers
/// false); BOM versions are insert-only, and the product row's lock serialises new versions.
/// </summary>
internal static class CatalogueStore
{
    /// <summary>False when the code is taken.</summary>
    public static async Task<bool> TryInsertMaterialAsync(DbSession session, MaterialRow row) =>
        await session.ExecuteAsync(
            "INSERT INTO materials (material_id, code, name, base_unit, description, created_at) " +
            "VALUES (@MaterialId, @Code, @Name, @BaseUnit, @Description, @CreatedAt) ON CONFLICT (code) DO NOTHING",
            row) > 0;

    /// <summary>False when the code is taken.</summary>
    public static async Task<bool> TryInsertProductAsync(DbSession session, ProductRow row) =>
        await session.ExecuteAsync(
            "INSERT INTO products (product_id, code, name, unit_name, medical, current_bom_version, created_at) " +
            "VALUES (@ProductId, @Code, @Name, @UnitName, @Medical, @CurrentBomVersion, @CreatedAt) ON CONFLICT (code) DO NOTHING",
            row) > 0;

    /// <summary>The product, its row locked until the transaction ends (a BOM change's first step).</summary>
    public static Task<ProductRow?> LockProductAsync(DbSession session, string productId) =>
        session.QuerySingleOrDefaultAsync<ProductRow>(
            $"SELECT {Queries.ProductColumns} FROM products WHERE product_id = @productId{session.ForUpdate}", new { productId });

    public static async Task InsertBomVersionAsync(DbSession session, string productId, int version, IReadOnlyList<BomLineSpec> lines, string note, long now)
    {
        await session.ExecuteAsync(
            "INSERT INTO bom_versions (product_id, version, note, created_at) VALUES (@productId, @version, @note, @now)",
            new { productId, version, note, now });
        foreach (var line in lines)
        {
            await session.ExecuteAsync(
                "INSERT INTO bom_lines (product_id, version, material_id, quantity_per_unit, waste_per_mille) " +
                "VALUES (@productId, @version, @materialId, @quantityPerUnit, @wastePerMille)",
                new { productId, version, materialId = line.MaterialId, quantityPerUnit = line.QuantityPerUnit, wastePerMille = line.WastePerMille });
        }
    }

    public static Task SetCurrentBomAsync(DbSession session, string productId, int version) =>
        session.ExecuteAsync("UPDATE products SET current_bom_version = @version WHERE product_id = @productId", new { version, productId });

    public static async Task<StoredBom?> BomAsync(DbSession db, string productId, int version)
    {
        var row = await db.QuerySingleOrDefaultAsync<BomVersionRow>(
            "SELECT product_id AS ProductId, version AS Version, note AS Note, created_at AS CreatedAt FROM bom_versions " +
            "WHERE product_id = @productId AND version = @version",
            new { productId, version });
        if (row is null)
        {
            return null;
        }
        var lines = await db.QueryAsync<BomLineRow>(
            "SELECT b.product_id AS ProductId, b.version AS Version, b.material_id AS MaterialId, b.quantity_per_unit AS QuantityPerUnit, " +
            "b.waste_per_mille AS WastePerMille, m.code AS MaterialCode, m.base_unit AS BaseUnit FROM bom_lines b " +
            "JOIN materials m ON m.material_id = b.material_id WHERE b.product_id = @productId AND b.version = @version ORDER BY m.code",
            new { productId, version });
        return new StoredBom(row, lines.ToList());
    }

    /// <summary>The product's current BOM version, or null before its first.</summary>
    public static async Task<StoredBom?> CurrentBomAsync(DbSession db, ProductRow product) =>
        product.CurrentBomVersion > 0 ? await BomAsync(db, product.ProductId, product.CurrentBomVersion) : null;
}
