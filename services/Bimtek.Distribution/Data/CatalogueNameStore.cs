using System.Globalization;
using Dapper;

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
    public static async Task<List<ProgrammeNameRow>> ProgrammesAsync(Sql sql, IReadOnlyCollection<string> programmeIds) =>
        programmeIds.Count == 0 ? [] : [.. await sql.QueryAsync<ProgrammeNameRow>(
            $"SELECT programme_id AS ProgrammeId, code AS Code, title AS Title FROM programme_names WHERE programme_id IN ({InList(programmeIds, out var keys)})",
            keys)];

    public static async Task<List<ProductNameRow>> ProductsAsync(Sql sql, IReadOnlyCollection<string> productCodes) =>
        productCodes.Count == 0 ? [] : [.. await sql.QueryAsync<ProductNameRow>(
            $"SELECT product_code AS ProductCode, name AS Name FROM product_names WHERE product_code IN ({InList(productCodes, out var keys)})",
            keys)];

    /// <summary>"@k0, @k1, …" with its parameters: one form for SQLite and PostgreSQL (Dapper would send PostgreSQL one array).</summary>
    private static string InList(IReadOnlyCollection<string> values, out DynamicParameters parameters)
    {
        parameters = new DynamicParameters();
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = "k" + names.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(name, value);
            names.Add("@" + name);
        }
        return string.Join(", ", names);
    }

    public static Task SaveProgrammeAsync(Sql sql, string programmeId, string code, string title, string learnedAt) =>
        sql.ExecuteAsync(
            "INSERT INTO programme_names (programme_id, code, title, learned_at) VALUES (@programmeId, @code, @title, @learnedAt) " +
            "ON CONFLICT (programme_id) DO UPDATE SET code = excluded.code, title = excluded.title, learned_at = excluded.learned_at",
            new { programmeId, code, title, learnedAt });

    public static Task SaveProductAsync(Sql sql, string productCode, string name, string learnedAt) =>
        sql.ExecuteAsync(
            "INSERT INTO product_names (product_code, name, learned_at) VALUES (@productCode, @name, @learnedAt) " +
            "ON CONFLICT (product_code) DO UPDATE SET name = excluded.name, learned_at = excluded.learned_at",
            new { productCode, name, learnedAt });
}
