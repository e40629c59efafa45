using Bimtek.Data.Persistence;

namespace Bimtek.Production.Data;

/// <summary>
/// A product's defect checklist: its defect_checklists row (when it was last set) and its defect_codes. A replaced
/// code is kept inactive, never deleted, so the labels of past inspections' defects still resolve.
/// </summary>
internal static class ChecklistStore
{
    /// <summary>The checklist's last change and its active codes in display order; no time when it was never set.</summary>
    public static async Task<StoredChecklist> GetAsync(DbSession s, string productCode) => new(
        productCode,
        await s.ExecuteScalarAsync<long?>("SELECT updated_at FROM defect_checklists WHERE product_code = @productCode", new { productCode }),
        await s.QueryAsync<DefectCodeRow>(
            "SELECT code AS Code, label AS Label, label_en AS LabelEn, medical_standard AS MedicalStandard, active AS Active FROM defect_codes " +
            "WHERE product_code = @productCode AND active = 1 ORDER BY position", new { productCode }));

    /// <summary>The product's active codes (none: the product has no checklist).</summary>
    public static async Task<HashSet<string>> ActiveCodesAsync(DbSession s, string productCode) =>
        (await s.QueryAsync<string>(
            "SELECT code FROM defect_codes WHERE product_code = @productCode AND active = 1", new { productCode })).ToHashSet(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="codes"/>, in their order, the product's active checklist as of <paramref name="now"/>.</summary>
    public static async Task ReplaceAsync(DbSession s, string productCode, IReadOnlyList<DefectCodeRow> codes, long now)
    {
        await s.ExecuteAsync(
            "INSERT INTO defect_checklists (product_code, updated_at) VALUES (@productCode, @now) " +
            "ON CONFLICT (product_code) DO UPDATE SET updated_at = excluded.updated_at", new { productCode, now });
        await s.ExecuteAsync("UPDATE defect_codes SET active = 0 WHERE product_code = @productCode", new { productCode });
        var position = 0;
        foreach (var code in codes)
        {
            await s.ExecuteAsync(
                "INSERT INTO defect_codes (product_code, code, label, label_en, medical_standard, position, active) " +
                "VALUES (@productCode, @Code, @Label, @LabelEn, @medical, @position, 1) ON CONFLICT (product_code, code) DO UPDATE SET " +
                "label = excluded.label, label_en = excluded.label_en, medical_standard = excluded.medical_standard, position = excluded.position, active = 1",
                new { productCode, code.Code, code.Label, code.LabelEn, medical = code.MedicalStandard != 0 ? 1 : 0, position = ++position });
        }
    }
}

/// <summary>A product's checklist as stored: when it was last set (null: never) and its active codes in display order.</summary>
internal sealed record StoredChecklist(string ProductCode, long? UpdatedAt, IReadOnlyList<DefectCodeRow> Codes);

/// <summary>A defect_codes row.</summary>
internal sealed class DefectCodeRow
{
    public string Code { get; set; } = "";
    public string Label { get; set; } = "";
    public string LabelEn { get; set; } = "";
    public long MedicalStandard { get; set; }
    public long Active { get; set; }
}
