using System.Text.Json.Nodes;
using static Bimtek.Scenarios.Rest.Json;

namespace Bimtek.Scenarios.Rest;

/// <summary>
/// The REST calls the scenarios make, one method per RPC, paths as in the <c>google.api.http</c> rules of
/// protos/bimtek/*/v1 under the gateway's <c>/api/v1</c>. Answers are the proto messages as JSON.
/// </summary>
public sealed class SuiteApi(RestClient rest)
{
    public RestClient Rest { get; } = rest;

    // ----- materials -----

    public async Task<JsonNode> FindProductAsync(string code, CancellationToken ct)
    {
        var step = $"find product {code}";
        var page = await Rest.GetAsync(step, $"/api/v1/products?code={Escape(code)}", ct);
        return page.Array("products").FirstOrDefault(p => p.Str("code") == code)
            ?? throw new ScenarioFailure(step, $"materials has no product with code {code}: {page.ToJsonString()}");
    }

    public async Task<JsonNode> FindLocationAsync(string kind, CancellationToken ct)
    {
        var step = $"find {kind}";
        var page = await Rest.GetAsync(step, $"/api/v1/locations?kind={kind}&pageSize=200", ct);
        return page.Array("locations").FirstOrDefault()
            ?? throw new ScenarioFailure(step, $"materials has no location of kind {kind}");
    }

    public Task<JsonObject> ReceiveStockAsync(string locationId, string documentNumber, string lotCode, IEnumerable<(string MaterialId, long Quantity)> lines, string note, CancellationToken ct) =>
        Rest.PostAsync("receive stock from the province", "/api/v1/stock/receipts", new JsonObject
        {
            ["locationId"] = locationId,
            ["supplierDocumentNumber"] = documentNumber,
            ["lotCode"] = lotCode,
            ["lines"] = new JsonArray([.. lines.Select(l => (JsonNode)new JsonObject { ["materialId"] = l.MaterialId, ["quantity"] = l.Quantity })]),
            ["note"] = note,
        }, ct);

    public Task<JsonObject> PlanKitsAsync(string programmeId, string productId, string sourceLocationId, IEnumerable<(string TraineeId, int Quota)> quotas, CancellationToken ct) =>
        Rest.PostAsync("plan kits", "/api/v1/kits/plans", new JsonObject
        {
            ["programmeId"] = programmeId,
            ["productId"] = productId,
            ["sourceLocationId"] = sourceLocationId,
            ["quotas"] = new JsonArray([.. quotas.Select(q => (JsonNode)new JsonObject { ["traineeId"] = q.TraineeId, ["quota"] = q.Quota })]),
        }, ct);

    public Task<JsonObject> DispatchKitPlanAsync(string kitPlanId, CancellationToken ct) =>
        Rest.PostAsync("dispatch kits", $"/api/v1/kits/plans/{kitPlanId}:dispatch", [], ct);

    public Task<JsonObject> ListTraineeYieldsAsync(string programmeId, CancellationToken ct) =>
        Rest.GetAsync("read trainee yields", $"/api/v1/stock/yields?programmeId={programmeId}&pageSize=200", ct);

    public Task<JsonObject> ListLedgerAsync(string programmeId, string kind, string pageToken, CancellationToken ct) =>
        Rest.GetAsync("read the stock ledger", $"/api/v1/stock/ledger?programmeId={programmeId}&kind={kind}&pageSize=200&pageToken={Escape(pageToken)}", ct);

    // ----- participants -----

    public Task<JsonObject> CreateProgrammeAsync(JsonObject programme, CancellationToken ct) =>
        Rest.PostAsync("create programme", "/api/v1/programmes", programme, ct);

    public Task<JsonObject> GetProgrammeAsync(string programmeId, CancellationToken ct) =>
        Rest.GetAsync("read programme", $"/api/v1/programmes/{programmeId}", ct);

    public Task<JsonObject> ActivateProgrammeAsync(string programmeId, CancellationToken ct) =>
        Rest.PostAsync("activate programme", $"/api/v1/programmes/{programmeId}:activate", [], ct);

    public Task<JsonObject> RegisterStaffAsync(string kind, string name, string district, string organisation, CancellationToken ct) =>
        Rest.PostAsync($"register {name}", "/api/v1/people/staff", new JsonObject
        {
            ["kind"] = kind,
            ["name"] = name,
            ["district"] = district,
            ["organisation"] = organisation,
        }, ct);

    public Task<JsonObject> AssignStaffAsync(string programmeId, string personId, string role, CancellationToken ct) =>
        Rest.PostAsync($"assign {role}", $"/api/v1/programmes/{programmeId}/staff", new JsonObject
        {
            ["personId"] = personId,
            ["role"] = role,
        }, ct);

    public Task<JsonObject> RegisterTraineeAsync(JsonObject trainee, CancellationToken ct) =>
        Rest.PostAsync($"register trainee {trainee.Str("name")}", "/api/v1/people/trainees", trainee, ct);

    public Task<JsonObject> EnrolAsync(string programmeId, string traineeId, CancellationToken ct) =>
        Rest.PostAsync("enrol trainee", $"/api/v1/programmes/{programmeId}/enrolments", new JsonObject { ["traineeId"] = traineeId }, ct);

    public Task<JsonObject> ListEnrolmentsAsync(string programmeId, CancellationToken ct) =>
        Rest.GetAsync("list enrolments", $"/api/v1/programmes/{programmeId}/enrolments?status=ENROLMENT_STATUS_ACTIVE&pageSize=200", ct);

    public Task<JsonObject> AddLessonAsync(string programmeId, int position, string title, int durationSeconds, string productStep, CancellationToken ct) =>
        Rest.PostAsync($"add lesson {position}", $"/api/v1/programmes/{programmeId}/lessons", new JsonObject
        {
            ["position"] = position,
            ["title"] = title,
            ["videoUrl"] = $"https://video.bimtek.example/{programmeId}/{position}",
            ["durationSeconds"] = durationSeconds,
            ["productStep"] = productStep,
        }, ct);

    public Task<JsonObject> RecordLessonProgressAsync(string lessonId, string traineeId, int seconds, int percent, CancellationToken ct) =>
        Rest.PostAsync("record lesson progress", $"/api/v1/lessons/{lessonId}/progress", new JsonObject
        {
            ["traineeId"] = traineeId,
            ["furthestPositionSeconds"] = seconds,
            ["percent"] = percent,
            ["reportedAt"] = Timestamp(DateTimeOffset.UtcNow.AddSeconds(-2)),
        }, ct);

    public Task<JsonObject> GetProgrammeLessonProgressAsync(string programmeId, CancellationToken ct) =>
        Rest.GetAsync("read lesson progress", $"/api/v1/programmes/{programmeId}/lesson-progress?pageSize=200", ct);

    public Task<JsonObject> OpenAssistanceRequestAsync(string programmeId, string traineeId, string lessonId, string productStep, string description, CancellationToken ct) =>
        Rest.PostAsync("ask for help", "/api/v1/assistance-requests", new JsonObject
        {
            ["programmeId"] = programmeId,
            ["traineeId"] = traineeId,
            ["lessonId"] = lessonId,
            ["productStep"] = productStep,
            ["description"] = description,
        }, ct);

    public Task<JsonObject> GetAssistanceRequestAsync(string id, CancellationToken ct) =>
        Rest.GetAsync("read assistance request", $"/api/v1/assistance-requests/{id}", ct);

    public Task<JsonObject> ListAssistanceRequestsAsync(string programmeId, CancellationToken ct) =>
        Rest.GetAsync("list assistance requests", $"/api/v1/assistance-requests?programmeId={programmeId}&pageSize=200", ct);

    public Task<JsonObject> ScheduleHomeVisitAsync(string assistanceRequestId, string instructorId, DateOnly day, string address, CancellationToken ct) =>
        Rest.PostAsync("schedule home visit", $"/api/v1/assistance-requests/{assistanceRequestId}/home-visits", new JsonObject
        {
            ["instructorId"] = instructorId,
            ["day"] = Date(day),
            ["windowStart"] = new JsonObject { ["hours"] = 9 },
            ["windowEnd"] = new JsonObject { ["hours"] = 11 },
            ["address"] = address,
        }, ct);

    public Task<JsonObject> LogHomeVisitOutcomeAsync(string homeVisitId, string outcome, string notes, CancellationToken ct) =>
        Rest.PostAsync("log home visit", $"/api/v1/home-visits/{homeVisitId}:logOutcome", new JsonObject
        {
            ["outcome"] = outcome,
            ["notes"] = notes,
        }, ct);

    // ----- production -----

    public Task<JsonObject> ReportOutputAsync(string programmeId, string traineeId, string productCode, DateOnly day, int units, CancellationToken ct) =>
        Rest.PostAsync($"report output {day:yyyy-MM-dd}", "/api/v1/output-reports", new JsonObject
        {
            ["programmeId"] = programmeId,
            ["traineeId"] = traineeId,
            ["productCode"] = productCode,
            ["day"] = Date(day),
            ["units"] = units,
        }, ct);

    public Task<JsonObject> GetOutputReportAsync(string reportId, CancellationToken ct) =>
        Rest.GetAsync("read output report", $"/api/v1/output-reports/{reportId}", ct);

    /// <summary>Inspects every recorded report of the trainee's day (selection by day rather than report ids).</summary>
    public Task<JsonObject> InspectAsync(string programmeId, string traineeId, DateOnly day, int accepted, string inspectorId, string note, CancellationToken ct) =>
        Rest.PostAsync($"inspect output of {day:yyyy-MM-dd}", "/api/v1/inspections", new JsonObject
        {
            ["programmeId"] = programmeId,
            ["traineeId"] = traineeId,
            ["day"] = Date(day),
            ["acceptedUnits"] = accepted,
            ["inspectorId"] = inspectorId,
            ["note"] = note,
        }, ct);

    public Task<JsonObject> SignOffAsync(string inspectionId, string healthExpertId, int accepted, string note, CancellationToken ct) =>
        Rest.PostAsync("health expert sign-off", $"/api/v1/inspections/{inspectionId}:signOff", new JsonObject
        {
            ["healthExpertId"] = healthExpertId,
            ["acceptedUnits"] = accepted,
            ["note"] = note,
        }, ct);

    public Task<JsonObject> GetProgrammeTotalsAsync(string programmeId, CancellationToken ct) =>
        Rest.GetAsync("read production totals", $"/api/v1/production/programmes/{programmeId}/totals", ct);

    // ----- coordinator -----

    public Task<JsonObject> GetProgressAsync(string programmeId, DateOnly? asOfDay, CancellationToken ct) =>
        Rest.GetAsync("read quota progress", $"/api/v1/quotas/programmes/{programmeId}/progress?pageSize=200"
            + (asOfDay is { } day ? "&" + DateQuery("asOfDay", day) : ""), ct);

    public Task<JsonObject> EvaluatePaceAsync(string programmeId, DateOnly asOfDay, CancellationToken ct) =>
        Rest.PostAsync("evaluate pace", $"/api/v1/quotas/programmes/{programmeId}:evaluatePace", new JsonObject
        {
            ["asOfDay"] = Date(asOfDay),
        }, ct);

    // ----- distribution -----

    public async Task<JsonNode> FindOrCreateRecipientAsync(string kind, string name, string district, string contact, CancellationToken ct)
    {
        var page = await Rest.GetAsync("find recipient", $"/api/v1/recipients?kind={kind}&pageSize=200", ct);
        if (page.Array("recipients").FirstOrDefault(r => r.Str("name") == name) is { } existing)
        {
            return existing;
        }
        return await Rest.PostAsync("create recipient", "/api/v1/recipients", new JsonObject
        {
            ["kind"] = kind,
            ["name"] = name,
            ["district"] = district,
            ["contactPerson"] = contact,
        }, ct);
    }

    public Task<JsonObject> ListFinishedGoodsAsync(string programmeId, CancellationToken ct) =>
        Rest.GetAsync("read finished goods", $"/api/v1/finished-goods?programmeId={programmeId}&pageSize=200", ct);

    public Task<JsonObject> CreateHandoverAsync(JsonObject handover, CancellationToken ct) =>
        Rest.PostAsync("hand over", "/api/v1/handovers", handover, ct);

    public Task<JsonObject> GetHandoverAsync(string handoverId, CancellationToken ct) =>
        Rest.GetAsync("read handover", $"/api/v1/handovers/{handoverId}", ct);

    public Task<(string ContentType, byte[] Bytes)> GetHandoverDocumentAsync(string handoverId, CancellationToken ct) =>
        Rest.GetBytesAsync("fetch handover document", $"/api/v1/handovers/{handoverId}/document", ct);
}
