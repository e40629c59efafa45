using System.Data.Common;
using Bimtek.Data.Persistence;
using Bimtek.Production.Api;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Dapper;

namespace Bimtek.Production.Data;

/// <summary>Reads inspections with their reports, defects and labels (inside a transaction or not); the writes are in <c>InspectionStore.Writes.cs</c>.</summary>
internal static partial class InspectionStore
{
    /// <summary>"= ANY(@ids)" on PostgreSQL (Dapper sends an array there), "IN @ids" on SQLite (Dapper expands the list).</summary>
    public static string InList(DbConnection c, string parameter = "ids") =>
        c.GetType().Name.StartsWith("Npgsql", StringComparison.Ordinal) ? $"= ANY(@{parameter})" : $"IN @{parameter}";

    public static async Task<InspectionRow?> FindAsync(DbConnection c, DbTransaction? tx, string inspectionId, string lockSuffix = "") =>
        await c.QuerySingleOrDefaultAsync<InspectionRow>(
            $"SELECT {InspectionRow.Columns} FROM inspections WHERE inspection_id = @inspectionId{lockSuffix}", new { inspectionId }, tx);

    /// <summary>The inspection on a connection of its own (the checks before a write's transaction).</summary>
    public static async Task<InspectionRow?> FindAsync(Database database, string inspectionId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        return await FindAsync(c, null, inspectionId);
    }

    public static async Task<Inspection> LoadAsync(DbConnection c, DbTransaction? tx, string inspectionId)
    {
        var row = await FindAsync(c, tx, inspectionId) ?? throw new NotFoundException("inspection", inspectionId);
        return (await MapAsync(c, tx, [row])).Single();
    }

    /// <summary>Maps rows to messages with two extra queries for all of them.</summary>
    public static async Task<IReadOnlyList<Inspection>> MapAsync(DbConnection c, DbTransaction? tx, IReadOnlyList<InspectionRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = rows.Select(r => r.InspectionId).ToArray();
        var reports = (await c.QueryAsync<InspectionReportRow>(
            "SELECT inspection_id AS InspectionId, report_id AS ReportId, units AS Units, passed_units AS PassedUnits, rejected_units AS RejectedUnits, " +
            "accepted_units AS AcceptedUnits, awaiting_units AS AwaitingUnits, position AS Position FROM inspection_reports WHERE inspection_id " + InList(c),
            new { ids }, tx)).ToLookup(r => r.InspectionId);
        var defects = (await c.QueryAsync<DefectRow>(
            "SELECT inspection_id AS InspectionId, stage AS Stage, defect_code AS DefectCode, units AS Units FROM inspection_defects " +
            "WHERE inspection_id " + InList(c) + " ORDER BY units DESC, defect_code", new { ids }, tx)).ToLookup(d => d.InspectionId);
        var products = rows.Select(r => r.ProductCode).Distinct().ToArray();
        var labels = (await c.QueryAsync<(string ProductCode, string Code, string Label)>(
            "SELECT product_code, code, label FROM defect_codes WHERE product_code " + InList(c, "products"), new { products }, tx))
            .ToLookup(l => l.ProductCode);
        var photos = await PhotoStore.PhotoIdsOfInspectionsAsync(c, tx, ids);
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
