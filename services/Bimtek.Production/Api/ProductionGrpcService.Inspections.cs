using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>Inspections, health-expert sign-off and rework orders (the rules are <see cref="InspectionWorkflow"/>).</summary>
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
        return inspections.InspectAsync(caller, request, context.CancellationToken);
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
        ValidateDefects(validator, "defects", request.Defects, request.RejectedUnits);
        validator.ThrowIfInvalid();
        var caller = context.GetCaller().Require(Access.Inspectors);
        return inspections.SignOffAsync(caller, request, context.CancellationToken);
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
        await directory.EnsureCanReadAsync(caller, inspection.ProgrammeId, inspection.TraineeId, context.CancellationToken);
        return inspection;
    }

    public override async Task<ListInspectionsResponse> ListInspections(ListInspectionsRequest request, ServerCallContext context)
    {
        ValidateList(request.PageSize, request.PageToken, ListPosition.Inspections, request.ProgrammeId, request.TraineeId, request.Day)
            .Defined("status", request.Status, allowUnspecified: true)
            .ThrowIfInvalid();
        var after = ListPosition.Read(request.PageToken, ListPosition.Inspections);
        var caller = context.GetCaller();
        if (!await EnsureCanListAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken))
        {
            return new ListInspectionsResponse();
        }
        var pageSize = RequestValidator.EffectivePageSize(request.PageSize);
        var (items, next) = await queries.ListInspectionsAsync(request.ProgrammeId, request.TraineeId, DayText(request.Day), request.Status,
            pageSize, after, context.CancellationToken);
        var response = new ListInspectionsResponse { NextPageToken = ListPosition.Token(ListPosition.Inspections, next) };
        response.Inspections.Add(items);
        return response;
    }

    // Rework orders

    public override Task<ReworkOrder> SendBackForRework(SendBackForReworkRequest request, ServerCallContext context)
    {
        new RequestValidator()
            .RequestId(request.RequestId)
            .Id("inspection_id", request.InspectionId)
            .Positive("units", request.Units, MaxUnits * 10)
            .Optional("note", request.Note, 1000)
            .ThrowIfInvalid();
        var caller = context.GetCaller().Require(Access.Inspectors);
        return inspections.SendBackAsync(caller, request, context.CancellationToken);
    }

    public override async Task<ListReworkOrdersResponse> ListReworkOrders(ListReworkOrdersRequest request, ServerCallContext context)
    {
        ValidateList(request.PageSize, request.PageToken, ListPosition.ReworkOrders, request.ProgrammeId, request.TraineeId, null)
            .ThrowIfInvalid();
        var after = ListPosition.Read(request.PageToken, ListPosition.ReworkOrders);
        var caller = context.GetCaller();
        if (!await EnsureCanListAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken))
        {
            return new ListReworkOrdersResponse();
        }
        var pageSize = RequestValidator.EffectivePageSize(request.PageSize);
        var (rows, next) = await queries.ListReworkOrdersAsync(request.ProgrammeId, request.TraineeId, request.OpenOnly, pageSize, after, context.CancellationToken);
        var response = new ListReworkOrdersResponse { NextPageToken = ListPosition.Token(ListPosition.ReworkOrders, next) };
        response.ReworkOrders.Add(rows.Select(ProtoMapping.ToProto));
        return response;
    }
}
