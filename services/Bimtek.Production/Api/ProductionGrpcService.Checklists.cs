using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>Each product's defect checklist.</summary>
internal sealed partial class ProductionGrpcService
{
    public override async Task<DefectChecklist> GetDefectChecklist(GetDefectChecklistRequest request, ServerCallContext context)
    {
        new RequestValidator().Required("product_code", request.ProductCode, 64).ThrowIfInvalid();
        var checklist = await checklists.GetAsync(request.ProductCode, context.CancellationToken);
        // No checklist kept here: the product must at least be in the materials catalogue (an empty checklist), else it is unknown.
        if (checklist.UpdatedAt is null && checklist.Codes.Count == 0
            && await catalog.FindAsync(request.ProductCode, context.CancellationToken) is null)
        {
            throw new NotFoundException("product", request.ProductCode);
        }
        return checklist;
    }

    public override Task<DefectChecklist> SetDefectChecklist(SetDefectChecklistRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Required("product_code", request.ProductCode, 64)
            .When(request.Codes.Count is < 1 or > 100, "codes", "give 1 to 100 codes")
            .When(request.Codes.Select(c => c.Code).Distinct().Count() != request.Codes.Count, "codes", "no code twice");
        for (var i = 0; i < request.Codes.Count; i++)
        {
            var code = request.Codes[i];
            validator
                .When(!DefectCodePattern().IsMatch(code.Code), $"codes[{i}].code", "1–64 characters of A–Z, 0–9 and '_'")
                .Required($"codes[{i}].label", code.Label, 200)
                .Optional($"codes[{i}].label_en", code.LabelEn, 200);
        }
        validator.ThrowIfInvalid();
        context.GetCaller().Require(Access.ChecklistEditors);
        return checklists.SetAsync(request, context.CancellationToken);
    }
}
