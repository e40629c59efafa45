using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Production.Application;

/// <summary>Per-product defect checklists: read, replace, and check the codes an inspection uses.</summary>
internal sealed class ChecklistRepository(Database database, IdempotentExecutor idempotency, TimeProvider time)
{
    public async Task<DefectChecklist> GetAsync(string productCode, CancellationToken cancellationToken)
    {
        var (updatedAt, codes) = await database.ReadAsync(async s => (
            await s.ExecuteScalarAsync<long?>("SELECT updated_at FROM defect_checklists WHERE product_code = @productCode", new { productCode }),
            await s.QueryAsync<DefectCodeRow>(
                "SELECT code AS Code, label AS Label, label_en AS LabelEn, medical_standard AS MedicalStandard, active AS Active FROM defect_codes " +
                "WHERE product_code = @productCode AND active = 1 ORDER BY position", new { productCode })), cancellationToken);
        var checklist = new DefectChecklist { ProductCode = productCode };
        checklist.Codes.Add(codes.Select(r => new DefectCode { Code = r.Code, Label = r.Label, LabelEn = r.LabelEn, MedicalStandard = r.MedicalStandard != 0 }));
        if (updatedAt is { } at)
        {
            checklist.UpdatedAt = Instants.ToTimestamp(at);
        }
        return checklist;
    }

    public Task<DefectChecklist> SetAsync(SetDefectChecklistRequest request, CancellationToken cancellationToken) =>
        idempotency.ExecuteAsync(request.RequestId, request, async s =>
        {
            var now = time.NowMs();
            await s.ExecuteAsync(
                "INSERT INTO defect_checklists (product_code, updated_at) VALUES (@ProductCode, @now) " +
                "ON CONFLICT (product_code) DO UPDATE SET updated_at = excluded.updated_at", new { request.ProductCode, now });
            await s.ExecuteAsync("UPDATE defect_codes SET active = 0 WHERE product_code = @ProductCode", new { request.ProductCode });
            var position = 0;
            foreach (var code in request.Codes)
            {
                await s.ExecuteAsync(
                    "INSERT INTO defect_codes (product_code, code, label, label_en, medical_standard, position, active) " +
                    "VALUES (@ProductCode, @Code, @Label, @LabelEn, @medical, @position, 1) ON CONFLICT (product_code, code) DO UPDATE SET " +
                    "label = excluded.label, label_en = excluded.label_en, medical_standard = excluded.medical_standard, position = excluded.position, active = 1",
                    new { request.ProductCode, code.Code, code.Label, code.LabelEn, medical = code.MedicalStandard ? 1 : 0, position = ++position });
            }
            var checklist = new DefectChecklist { ProductCode = request.ProductCode, UpdatedAt = Instants.ToTimestamp(now) };
            checklist.Codes.Add(request.Codes);
            return checklist;
        }, cancellationToken);

    /// <summary>
    /// Defect codes must be on the product's active checklist when it has one (a product without a
    /// checklist accepts any well-formed code).
    /// </summary>
    public async Task EnsureValidAsync(DbSession s, string productCode, IEnumerable<DefectCount> defects)
    {
        var active = (await s.QueryAsync<string>(
            "SELECT code FROM defect_codes WHERE product_code = @productCode AND active = 1", new { productCode })).ToHashSet(StringComparer.Ordinal);
        if (active.Count == 0)
        {
            return;
        }
        var unknown = defects.Select(d => d.DefectCode).Where(c => !active.Contains(c)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new PreconditionException(Reasons.UnknownDefectCode,
                $"Not on the checklist of {productCode}: {string.Join(", ", unknown)}.",
                unknown.Select(c => new PreconditionViolation(Reasons.UnknownDefectCode, c, $"not on the checklist of {productCode}")).ToList());
        }
    }
}
