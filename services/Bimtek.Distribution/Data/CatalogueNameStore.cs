using Bimtek.Data.Persistence;

namespace Bimtek.Distribution.Data;

/// <summary>A programme's code and title as participants named it.</summary>
internal sealed class ProgrammeNameRow
{
    public string ProgrammeId { get; set; } = "";
    public string Code { get; set; } = "";
    public string Title { get; set; } = "";
}

/// <summary>A product's name as the materials catalogue named it.</summary>
internal sealed class ProductNameRow
{
    public string ProductCode { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>The names distribution learned from participants and materials (see <c>Application/CatalogueNames.cs</c>).</summary>
internal static class CatalogueNameStore
{
    public static async Task<List<ProgrammeNameRow>> ProgrammesAsync(DbSession db, IReadOnlyCollection<string> programmeIds) =>
        programmeIds.Count == 0 ? [] : [.. await db.QueryAsync<ProgrammeNameRow>(
            $"SELECT programme_id AS ProgrammeId, code AS Code, title AS Title FROM programme_names WHERE programme_id {db.Dialect.InList("ids")}",
            new { ids = programmeIds.ToArray() })];

    public static async Task<List<ProductNameRow>> ProductsAsync(DbSession db, IReadOnlyCollection<string> productCodes) =>
        productCodes.Count == 0 ? [] : [.. await db.QueryAsync<ProductNameRow>(
            $"SELECT product_code AS ProductCode, name AS Name FROM product_names WHERE product_code {db.Dialect.InList("codes")}",
            new { codes = productCodes.ToArray() })];

    public static Task SaveProgrammeAsync(DbSession db, string programmeId, string code, string title, long learnedAt) =>
        db.ExecuteAsync(
            "INSERT INTO programme_names (programme_id, code, title, learned_at) VALUES (@programmeId, @code, @title, @learnedAt) " +
            "ON CONFLICT (programme_id) DO UPDATE SET code = excluded.code, title = excluded.title, learned_at = excluded.learned_at",
            new { programmeId, code, title, learnedAt });

    public static Task SaveProductAsync(DbSession db, string productCode, string name, long learnedAt) =>
        db.ExecuteAsync(
            "INSERT INTO product_names (product_code, name, learned_at) VALUES (@productCode, @name, @learnedAt) " +
            "ON CONFLICT (product_code) DO UPDATE SET name = excluded.name, learned_at = excluded.learned_at",
            new { productCode, name, learnedAt });
}
