using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Production.Application;

/// <summary>
/// Per-product defect checklists (<see cref="ChecklistStore"/>): read one, replace one (idempotent on request_id), and
/// check the codes an inspection or a sign-off uses against it.
/// </summary>
internal sealed class Checklists(Database database, IdempotentExecutor idempotency, TimeProvider time)
{
    public Task<StoredChecklist> GetAsync(string productCode, CancellationToken cancellationToken) =>
        database.ReadAsync(s => ChecklistStore.GetAsync(s, productCode), cancellationToken);

    /// <summary>
    /// Makes the request's codes the product's checklist. The executor stores the answer for replays, so the handler
    /// gives the mapping that makes it (<paramref name="respond"/>) from the checklist as stored.
    /// </summary>
    public Task<TResponse> SetAsync<TResponse>(SetDefectChecklistRequest request, Func<StoredChecklist, TResponse> respond, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async s =>
        {
            var now = time.NowMs();
            var codes = request.Codes.Select(c => new DefectCodeRow
            {
                Code = c.Code,
                Label = c.Label,
                LabelEn = c.LabelEn,
                MedicalStandard = c.MedicalStandard ? 1 : 0,
                Active = 1,
            }).ToList();
            await ChecklistStore.ReplaceAsync(s, request.ProductCode, codes, now);
            return respond(new StoredChecklist(request.ProductCode, now, codes));
        }, cancellationToken);

    /// <summary>
    /// Defect codes must be on the product's active checklist when it has one (a product without a
    /// checklist accepts any well-formed code).
    /// </summary>
    public async Task EnsureValidAsync(DbSession s, string productCode, IEnumerable<DefectCount> defects)
    {
        var active = await ChecklistStore.ActiveCodesAsync(s, productCode);
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
