using Bimtek.Data.Persistence;
using Bimtek.Production.Api;
using Bimtek.Production.V1;
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

    public static async Task<Inspection> LoadAsync(DbSession s, string inspectionId)
    {
        var row = await FindAsync(s, inspectionId) ?? throw new NotFoundException("inspection", inspectionId);
        return (await MapAsync(s, [row])).Single();
    }

    /// <summary>Maps rows to messages with two extra queries for all of them.</summary>
    public static async Task<IReadOnlyList<Inspection>> MapAsync(DbSession s, IReadOnlyList<InspectionRow> rows)
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
        return rows.Select(r =>
        {
            var inspection = ProtoMapping.ToProto(r, reports[r.InspectionId], defects[r.InspectionId],
                labels[r.ProductCode].ToDictionary(l => l.Code, l => l.Label));
            inspection.PhotoIds.Add(photos[(r.InspectionId, "inspection")]);
            inspection.SignOff?.PhotoIds.Add(photos[(r.InspectionId, "sign_off")]);
            return inspection;
        }).ToList();
    }
}
