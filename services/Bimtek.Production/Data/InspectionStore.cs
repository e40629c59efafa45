using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Production.Data;

/// <summary>Reads inspections with their reports, defects and labels (inside a transaction or not); the writes are in <c>InspectionStore.Writes.cs</c>.</summary>
internal static partial class InspectionStore
{
    /// <summary>The inspection; with <paramref name="lockRow"/>, locked until a write's transaction ends.</summary>
    public static Task<InspectionRow?> FindAsync(DbSession s, string inspectionId, bool lockRow = false) =>
        s.QuerySingleOrDefaultAsync<InspectionRow>(
            $"SELECT {InspectionRow.Columns} FROM inspections WHERE inspection_id = @inspectionId{(lockRow ? s.ForUpdate : "")}", new { inspectionId });

    /// <summary>The inspection on a connection of its own (the checks before a write's transaction).</summary>
    public static Task<InspectionRow?> FindAsync(Database database, string inspectionId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => FindAsync(s, inspectionId), cancellationToken);

    public static async Task<StoredInspection> LoadAsync(DbSession s, string inspectionId)
    {
        var row = await FindAsync(s, inspectionId) ?? throw new NotFoundException("inspection", inspectionId);
        return (await WithPartsAsync(s, [row])).Single();
    }

    /// <summary>Each row with its reports, defects, defect labels and photos, read by four queries for all of them.</summary>
    public static async Task<IReadOnlyList<StoredInspection>> WithPartsAsync(DbSession s, IReadOnlyList<InspectionRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = rows.Select(r => r.InspectionId).ToArray();
        var reports = (await s.QueryAsync<InspectionReportRow>(
            "SELECT inspection_id AS InspectionId, report_id AS ReportId, units AS Units, passed_units AS PassedUnits, rejected_units AS RejectedUnits, " +
            "accepted_units AS AcceptedUnits, awaiting_units AS AwaitingUnits, position AS Position FROM inspection_reports WHERE inspection_id " + s.Dialect.InList("ids"),
            new { ids })).ToLookup(r => r.InspectionId);
        var defects = (await s.QueryAsync<DefectRow>(
            "SELECT inspection_id AS InspectionId, stage AS Stage, defect_code AS DefectCode, units AS Units FROM inspection_defects " +
            "WHERE inspection_id " + s.Dialect.InList("ids") + " ORDER BY units DESC, defect_code", new { ids })).ToLookup(d => d.InspectionId);
        var products = rows.Select(r => r.ProductCode).Distinct().ToArray();
        var labels = (await s.QueryAsync<(string ProductCode, string Code, string Label)>(
            "SELECT product_code, code, label FROM defect_codes WHERE product_code " + s.Dialect.InList("products"), new { products }))
            .ToLookup(l => l.ProductCode);
        var photos = await PhotoStore.PhotoIdsOfInspectionsAsync(s, ids);
        return rows.Select(r => new StoredInspection(
            r,
            [.. reports[r.InspectionId]],
            [.. defects[r.InspectionId]],
            labels[r.ProductCode].ToDictionary(l => l.Code, l => l.Label),
            [.. photos[(r.InspectionId, "inspection")]],
            [.. photos[(r.InspectionId, "sign_off")]])).ToList();
    }
}

/// <summary>
/// An inspection as stored: its row, the reports it took units from, its defects with the labels of its product's
/// codes (inactive ones too: past defects keep their labels), and the photos of the inspection and of its sign-off.
/// </summary>
internal sealed record StoredInspection(
    InspectionRow Row,
    IReadOnlyList<InspectionReportRow> Reports,
    IReadOnlyList<DefectRow> Defects,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> PhotoIds,
    IReadOnlyList<string> SignOffPhotoIds);
