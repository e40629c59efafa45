using Bimtek.Production.Data;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>Inspections, sign-offs and the defect checklists they use.</summary>
internal sealed partial class ProductionGrpcService
{
    public override Task<Inspection> InspectOutput(InspectOutputRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("trainee_id", request.TraineeId)
            .When(request.ReportIds.Count == 0 && request.Day is null, "report_ids", "give report_ids or day")
            .When(request.ReportIds.Count > 0 && request.Day is not null, "day", "give report_ids or day, not both")
            .When(request.ReportIds.Count > 100, "report_ids", "at most 100 reports")
            .Range("accepted_units", request.AcceptedUnits, 0, MaxUnits * 10)
            .Range("rejected_units", request.RejectedUnits, 0, MaxUnits * 10)
            .When(request.AcceptedUnits + request.RejectedUnits == 0, "accepted_units", "accepted_units + rejected_units must be > 0")
            .Optional("note", request.Note, 1000)
            .When(!string.IsNullOrEmpty(request.InspectorId) && !Guid.TryParse(request.InspectorId, out _), "inspector_id", "must be a person id");
        photos.ValidateIds(validator, request.PhotoIds);
        if (request.Day is not null)
        {
            validator.Date("day", request.Day);
        }
        for (var i = 0; i < request.ReportIds.Count; i++)
        {
            validator.Id($"report_ids[{i}]", request.ReportIds[i]);
        }
        ValidateDefects(validator, "defects", request.Defects, request.RejectedUnits);
        validator.ThrowIfInvalid();
        var caller = context.GetCaller().Require(Access.Inspectors);
        return inspections.InspectAsync(caller, request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override Task<Inspection> SignOffInspection(SignOffInspectionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Id("inspection_id", request.InspectionId)
            .Range("accepted_units", request.AcceptedUnits, 0, MaxUnits * 10)
            .Range("rejected_units", request.RejectedUnits, 0, MaxUnits * 10)
            .When(request.AcceptedUnits + request.RejectedUnits == 0, "accepted_units", "accepted_units + rejected_units must be > 0")
            .Optional("note", request.Note, 1000)
            .When(!string.IsNullOrEmpty(request.HealthExpertId) && !Guid.TryParse(request.HealthExpertId, out _), "health_expert_id", "must be a person id");
        photos.ValidateIds(validator, request.PhotoIds);
        ValidateDefects(validator, "defects", request.Defects, request.RejectedUnits);
        validator.ThrowIfInvalid();
        var caller = context.GetCaller().Require(Access.Inspectors);
        return signOffs.SignOffAsync(caller, request, ProtoMapping.ToProto, context.CancellationToken);
    }

    public override async Task<Inspection> GetInspection(GetInspectionRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("inspection_id", request.InspectionId).ThrowIfInvalid();
        var caller = context.GetCaller();
        var inspection = await queries.GetInspectionAsync(request.InspectionId, context.CancellationToken);
        if (inspection is null)
        {
            throw Access.MayLearnAbsence(caller)
                ? new NotFoundException("inspection", request.InspectionId)
                : new PermissionDeniedException();
        }
        await directory.EnsureCanReadAsync(caller, inspection.Row.ProgrammeId, inspection.Row.TraineeId, context.CancellationToken);
        return ProtoMapping.ToProto(inspection);
    }

    public override async Task<ListInspectionsResponse> ListInspections(ListInspectionsRequest request, ServerCallContext context)
    {
        ValidateList(request.PageSize, request.PageToken, ProductionQueries.Inspections, request.ProgrammeId, request.TraineeId, request.Day)
            .Defined("status", request.Status, allowUnspecified: true)
            .ThrowIfInvalid();
        var (items, next) = await lists.PageAsync(context.GetCaller(), ProductionQueries.Inspections, request.ProgrammeId, request.TraineeId,
            request.PageSize, request.PageToken, (page, ct) => queries.ListInspectionsAsync(request.ProgrammeId, request.TraineeId,
                DayText(request.Day), request.Status, page, ct), context.CancellationToken);
        var response = new ListInspectionsResponse { NextPageToken = next };
        response.Inspections.Add(items.Select(ProtoMapping.ToProto));
        return response;
    }

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
        return ProtoMapping.ToProto(checklist);
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
        return checklists.SetAsync(request, ProtoMapping.ToProto, context.CancellationToken);
    }
}
