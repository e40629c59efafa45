using System.Text.RegularExpressions;
using Bimtek.Data.Persistence;
using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Api;

/// <summary>Thin gRPC surface: validate, check access, call the workflow or query, map.</summary>
internal sealed partial class ProductionGrpcService(
    OutputReportWorkflow reports,
    InspectionWorkflow inspections,
    ChecklistRepository checklists,
    ProductionQueries queries,
    ProgrammeDirectory directory,
    ProductCatalog catalog,
    PhotoLibrary photos,
    PhotoStore photoStore) : ProductionService.ProductionServiceBase
{
    private const int MaxUnits = 10_000;

    // ----- Output reports -----

    public override async Task<OutputReport> ReportOutput(ReportOutputRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("trainee_id", request.TraineeId)
            .Required("product_code", request.ProductCode, 64)
            .Date("day", request.Day)
            .Positive("units", request.Units, MaxUnits)
            .Optional("note", request.Note, 1000)
            .Url("photo_url", request.PhotoUrl)
            .When(!string.IsNullOrEmpty(request.PhotoUrl) && !request.PhotoUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase), "photo_url", "must be an https URL")
            .When(!string.IsNullOrEmpty(request.ReworkOrderId) && !Guid.TryParse(request.ReworkOrderId, out _), "rework_order_id", "must be an id returned by the service");
        photos.ValidateIds(validator, request.PhotoIds).ThrowIfInvalid();
        var caller = context.GetCaller().Require(Access.Reporters);
        var report = await reports.ReportAsync(caller, request, context.CancellationToken);
        OutputReportWorkflow.ThrowIfRejected(report);
        return (await WithPhotosAsync([ProtoMapping.ToProto(report)], context.CancellationToken))[0];
    }

    public override async Task<OutputReport> GetOutputReport(GetOutputReportRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("report_id", request.ReportId).ThrowIfInvalid();
        var caller = context.GetCaller();
        ReportRow report;
        try
        {
            report = await reports.GetAsync(request.ReportId, context.CancellationToken);
        }
        catch (NotFoundException) when (!Access.MayLearnAbsence(caller))
        {
            throw new PermissionDeniedException();
        }
        await directory.EnsureCanReadAsync(caller, report.ProgrammeId, report.TraineeId, context.CancellationToken);
        return (await WithPhotosAsync([ProtoMapping.ToProto(report)], context.CancellationToken))[0];
    }

    public override async Task<ListOutputReportsResponse> ListOutputReports(ListOutputReportsRequest request, ServerCallContext context)
    {
        ValidateList(request.PageSize, request.PageToken, ListPosition.Reports, request.ProgrammeId, request.TraineeId, request.Day)
            .Defined("status", request.Status, allowUnspecified: true)
            .ThrowIfInvalid();
        var after = ListPosition.Read(request.PageToken, ListPosition.Reports);
        var caller = context.GetCaller();
        if (!await EnsureCanListAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken))
        {
            return new ListOutputReportsResponse();
        }
        var pageSize = RequestValidator.EffectivePageSize(request.PageSize);
        var (rows, next) = await queries.ListReportsAsync(request.ProgrammeId, request.TraineeId, DayText(request.Day),
            ProtoMapping.ToStored(request.Status), pageSize, after, context.CancellationToken);
        var response = new ListOutputReportsResponse { NextPageToken = ListPosition.Token(ListPosition.Reports, next) };
        response.OutputReports.Add(await WithPhotosAsync(rows.Select(ProtoMapping.ToProto).ToList(), context.CancellationToken));
        return response;
    }

    // ----- Inspections -----

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
        photos.ValidateIds(validator, request.PhotoIds);
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

    // ----- Rework -----

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

    // ----- Defect checklists -----

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

    // ----- Queries -----

    public override async Task<TraineeDailySeries> GetTraineeDailySeries(GetTraineeDailySeriesRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("programme_id", request.ProgrammeId).Id("trainee_id", request.TraineeId).ThrowIfInvalid();
        var caller = context.GetCaller();
        var facts = await directory.EnsureCanReadAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken)
            ?? await directory.CheckAsync(caller, request.ProgrammeId, "", context.CancellationToken);
        var daily = await queries.DailyAsync(request.ProgrammeId, request.TraineeId, context.CancellationToken);
        // Nothing recorded: the trainee must at least be enrolled in the programme, else the id is unknown here.
        if (daily.Count == 0 && !(await directory.CheckAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken)).TraineeEnrolled)
        {
            throw new NotFoundException("trainee", request.TraineeId);
        }
        var series = new TraineeDailySeries { ProgrammeId = request.ProgrammeId, TraineeId = request.TraineeId };
        series.Days.Add(EveryDay(facts, daily));
        return series;
    }

    public override async Task<ProgrammeTotals> GetProgrammeTotals(GetProgrammeTotalsRequest request, ServerCallContext context)
    {
        new RequestValidator().Id("programme_id", request.ProgrammeId).ThrowIfInvalid();
        var caller = context.GetCaller();
        var facts = await directory.EnsureCanReadProgrammeAsync(caller, request.ProgrammeId, context.CancellationToken)
            ?? await directory.CheckAsync(caller, request.ProgrammeId, "", context.CancellationToken);
        var totals = await queries.TotalsAsync(request.ProgrammeId, context.CancellationToken);
        totals.ProductCode = facts.ProductCode;
        totals.Days.Add(EveryDay(facts, await queries.DailyAsync(request.ProgrammeId, "", context.CancellationToken)));
        return totals;
    }

    public override async Task<DefectCounts> GetDefectCounts(GetDefectCountsRequest request, ServerCallContext context)
    {
        new RequestValidator()
            .Id("programme_id", request.ProgrammeId)
            .When(!string.IsNullOrEmpty(request.TraineeId) && !Guid.TryParse(request.TraineeId, out _), "trainee_id", "must be a person id")
            .ThrowIfInvalid();
        var caller = context.GetCaller();
        _ = await directory.EnsureCanReadAsync(caller, request.ProgrammeId, request.TraineeId, context.CancellationToken)
            ?? await directory.CheckAsync(caller, request.ProgrammeId, "", context.CancellationToken);
        var counts = new DefectCounts { ProgrammeId = request.ProgrammeId, TraineeId = request.TraineeId };
        counts.Defects.Add(await queries.DefectCountsAsync(request.ProgrammeId, request.TraineeId, context.CancellationToken));
        return counts;
    }

    // ----- helpers -----

    /// <summary>Adds each report's photo ids (kept in report_photos, one query for the page).</summary>
    private async Task<IReadOnlyList<OutputReport>> WithPhotosAsync(IReadOnlyList<OutputReport> reports, CancellationToken cancellationToken)
    {
        var photoIds = await photoStore.PhotoIdsOfReportsAsync(reports.Select(r => r.ReportId).ToList(), cancellationToken);
        foreach (var report in reports)
        {
            report.PhotoIds.Add(photoIds[report.ReportId]);
        }
        return reports;
    }

    private static IEnumerable<DailyOutput> EveryDay(ProgrammeFacts facts, IReadOnlyDictionary<string, DailyOutput> daily) =>
        facts.Days().Select(d => daily.TryGetValue(DayRules.ToText(d), out var output) ? output : new DailyOutput { Day = DayRules.ToDate(d) });

    /// <summary>
    /// Lists need programme_id or trainee_id. Privileged callers see everything; staff need the
    /// programme; a trainee sees only their own (false: nothing of theirs to show).
    /// </summary>
    private async Task<bool> EnsureCanListAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        if (caller.IsPrivileged)
        {
            return true;
        }
        if (!string.IsNullOrEmpty(programmeId))
        {
            await directory.EnsureCanReadAsync(caller, programmeId, traineeId, cancellationToken);
            return true;
        }
        // Only a trainee id: resolve the caller through a programme the trainee reported in.
        var programme = await queries.AnyProgrammeOfTraineeAsync(traineeId, cancellationToken);
        if (programme is null)
        {
            return false;
        }
        await directory.EnsureCanReadAsync(caller, programme, traineeId, cancellationToken);
        return true;
    }

    private static RequestValidator ValidateList(int pageSize, string pageToken, string list, string programmeId, string traineeId, Google.Type.Date? day)
    {
        var validator = new RequestValidator()
            .PageSize(pageSize)
            .When(string.IsNullOrEmpty(programmeId) && string.IsNullOrEmpty(traineeId), "programme_id", "programme_id or trainee_id is required")
            .When(!string.IsNullOrEmpty(programmeId) && !Guid.TryParse(programmeId, out _), "programme_id", "must be a programme id")
            .When(!string.IsNullOrEmpty(traineeId) && !Guid.TryParse(traineeId, out _), "trainee_id", "must be a person id")
            .ValidPageToken(pageToken, list);
        if (day is not null)
        {
            validator.Date("day", day);
        }
        return validator;
    }

    private static void ValidateDefects(RequestValidator validator, string field, IList<DefectCount> defects, int rejected)
    {
        validator
            .When(rejected > 0 && defects.Count == 0, field, "required when units are rejected")
            .When(defects.Count > 0 && defects.Sum(d => (long)d.Units) != rejected, field, "units must sum to rejected_units")
            .When(defects.Select(d => d.DefectCode).Distinct().Count() != defects.Count, field, "no code twice");
        for (var i = 0; i < defects.Count; i++)
        {
            validator
                .When(!DefectCodePattern().IsMatch(defects[i].DefectCode), $"{field}[{i}].defect_code", "1–64 characters of A–Z, 0–9 and '_'")
                .Positive($"{field}[{i}].units", defects[i].Units, MaxUnits * 10);
        }
    }

    private static string? DayText(Google.Type.Date? day) =>
        day is not null && RequestValidator.TryToDateOnly(day, out var d) ? DayRules.ToText(d) : null;

    [GeneratedRegex("^[A-Z0-9_]{1,64}$")]
    private static partial Regex DefectCodePattern();
}
