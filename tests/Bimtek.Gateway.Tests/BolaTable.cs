using System.Text.Json.Nodes;
using Bimtek.Gateway.Tests.Support;
using static Bimtek.Scenarios.Rest.Json;

namespace Bimtek.Gateway.Tests;

/// <summary>How a route treats a person (trainee or recipient user) and records that are not theirs.</summary>
public enum Scope
{
    /// <summary>Names one person's record: own → 2xx; another's → 403; an unknown id → 403.</summary>
    Own,

    /// <summary>A list: filtered on oneself → 2xx with only one's own rows; on another / unfiltered → 403 or none of theirs.</summary>
    OwnList,

    /// <summary>Data that belongs to no person (catalogue, the programme one is in): 2xx, none of anyone's records.</summary>
    Shared,

    /// <summary>The service refuses the role outright (staff and office work): 403 whatever the record.</summary>
    NotForThem,
}

/// <summary>One request of a route for a given person's records.</summary>
public sealed record Call(HttpMethod Method, string Path, JsonObject? Body = null)
{
    public static Call Get(string path) => new(HttpMethod.Get, path);

    public static Call Post(string path, JsonObject? body = null) => new(HttpMethod.Post, path, body ?? []);
}

/// <summary>
/// A REST binding (verb and template exactly as in protos/) with what a person may do through it, and how to
/// call it on a given owner's records. <see cref="OwnMarker"/>: the id an own answer must contain (lists).
/// </summary>
public sealed record BolaRoute(string Verb, string Template, Scope Scope, Func<BolaWorld, Owner, Call> Make, Func<Owner, string>? OwnMarker = null, string Note = "")
{
    public string Key => $"{Verb.ToUpperInvariant()} {Template}";

    public override string ToString() => Key;
}

/// <summary>
/// The BOLA table: every REST route a trainee (participants, materials, production, quotas) or a recipient's
/// user (distribution) can reach through the gateway. <see cref="BolaTests.The_bola_tables_cover_every_route_a_person_role_can_reach"/>
/// fails when the gateway opens a route to one of these roles that is not listed here.
/// </summary>
public static class BolaTable
{
    private static JsonObject Day(DateOnly day) => Date(day);

    public static readonly IReadOnlyList<BolaRoute> Trainee =
    [
        // ----- participants -----
        new("post", "/api/v1/programmes", Scope.NotForThem, (w, o) => Call.Post("/api/v1/programmes", w.ProgrammeBody(("BOLA-" + o.Name + "-" + Guid.NewGuid().ToString("N")[..4]).ToUpperInvariant()))),
        new("get", "/api/v1/programmes/{programme_id}", Scope.Shared, (w, o) => Call.Get($"/api/v1/programmes/{w.ProgrammeId}")),
        new("get", "/api/v1/programmes", Scope.Shared, (w, o) => Call.Get("/api/v1/programmes")),
        new("post", "/api/v1/programmes/{programme_id}:activate", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/programmes/{w.ProgrammeId}:activate")),
        new("post", "/api/v1/programmes/{programme_id}:complete", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/programmes/{w.ProgrammeId}:complete")),
        new("post", "/api/v1/programmes/{programme_id}:cancel", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/programmes/{w.ProgrammeId}:cancel", new JsonObject { ["reason"] = "BOLA" })),
        new("post", "/api/v1/programmes/{programme_id}/staff", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/programmes/{w.ProgrammeId}/staff", new JsonObject { ["personId"] = o.PersonId, ["role"] = "STAFF_ROLE_INSTRUCTOR" })),
        new("post", "/api/v1/programmes/{programme_id}/staff/{person_id}:unassign", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/programmes/{w.ProgrammeId}/staff/{w.InstructorId}:unassign")),
        new("post", "/api/v1/people/trainees", Scope.NotForThem, (w, o) => Call.Post("/api/v1/people/trainees", BolaWorld.TraineeBody(Owner.Unknown()))),
        new("post", "/api/v1/people/staff", Scope.NotForThem, (w, o) => Call.Post("/api/v1/people/staff", new JsonObject
        {
            ["kind"] = "STAFF_KIND_INSTRUCTOR", ["name"] = "Not staff", ["district"] = "Hulu Sungai Utara", ["organisation"] = "none",
        })),
        new("post", "/api/v1/people/{person_id}:recordGuardianConsent", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/people/{o.PersonId}:recordGuardianConsent", new JsonObject { ["guardianName"] = "Someone", ["guardianConsent"] = true })),
        new("post", "/api/v1/people/{person_id}:updateContact", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/people/{o.PersonId}:updateContact", new JsonObject { ["phone"] = "081234567890" })),
        new("get", "/api/v1/people/{person_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/people/{o.PersonId}")),
        new("get", "/api/v1/people", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/people?nameQuery={o.Name}")),
        new("post", "/api/v1/programmes/{programme_id}/enrolments", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/programmes/{w.ProgrammeId}/enrolments", new JsonObject { ["traineeId"] = o.PersonId })),
        new("post", "/api/v1/enrolments/{enrolment_id}:withdraw", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/enrolments/{o.EnrolmentId}:withdraw", new JsonObject { ["reason"] = "BOLA" })),
        new("get", "/api/v1/enrolments/{enrolment_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/enrolments/{o.EnrolmentId}")),
        new("get", "/api/v1/enrolments", Scope.OwnList, (w, o) => Call.Get($"/api/v1/enrolments?traineeId={o.PersonId}"), o => o.EnrolmentId),
        new("get", "/api/v1/programmes/{programme_id}/enrolments", Scope.OwnList, (w, o) =>
            Call.Get($"/api/v1/programmes/{w.ProgrammeId}/enrolments?traineeId={o.PersonId}"), o => o.EnrolmentId),
        new("post", "/api/v1/programmes/{programme_id}/lessons", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/programmes/{w.ProgrammeId}/lessons", new JsonObject
        {
            ["position"] = 2, ["title"] = "Not a lesson", ["videoUrl"] = "https://video.bimtek.example/x", ["durationSeconds"] = 60, ["productStep"] = "x",
        })),
        new("get", "/api/v1/programmes/{programme_id}/lessons", Scope.Shared, (w, o) => Call.Get($"/api/v1/programmes/{w.ProgrammeId}/lessons"),
            Note: "lessons of the programme the trainee is enrolled in"),
        new("post", "/api/v1/lessons/{lesson_id}/progress", Scope.Own, (w, o) => Call.Post($"/api/v1/lessons/{w.LessonId}/progress", new JsonObject
        {
            ["traineeId"] = o.PersonId, ["furthestPositionSeconds"] = 600, ["percent"] = 100, ["reportedAt"] = Timestamp(DateTimeOffset.UtcNow.AddSeconds(-2)),
        })),
        new("get", "/api/v1/programmes/{programme_id}/trainees/{trainee_id}/lesson-progress", Scope.Own, (w, o) =>
            Call.Get($"/api/v1/programmes/{w.ProgrammeId}/trainees/{o.PersonId}/lesson-progress")),
        new("get", "/api/v1/programmes/{programme_id}/lesson-progress", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/programmes/{w.ProgrammeId}/lesson-progress")),
        new("post", "/api/v1/assistance-requests", Scope.Own, (w, o) => Call.Post("/api/v1/assistance-requests", new JsonObject
        {
            ["programmeId"] = w.ProgrammeId, ["traineeId"] = o.PersonId, ["lessonId"] = w.LessonId, ["productStep"] = "cutting", ["description"] = "Tolong",
        })),
        new("get", "/api/v1/assistance-requests/{assistance_request_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/assistance-requests/{o.AssistanceRequestId}")),
        new("get", "/api/v1/assistance-requests", Scope.OwnList, (w, o) => Call.Get($"/api/v1/assistance-requests?traineeId={o.PersonId}"), o => o.AssistanceRequestId),
        new("post", "/api/v1/assistance-requests/{assistance_request_id}/home-visits", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/assistance-requests/{o.AssistanceRequestId}/home-visits", new JsonObject
            {
                ["instructorId"] = w.InstructorId, ["day"] = Day(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(2))),
                ["windowStart"] = new JsonObject { ["hours"] = 9 }, ["windowEnd"] = new JsonObject { ["hours"] = 11 }, ["address"] = "Amuntai",
            })),
        new("post", "/api/v1/home-visits/{home_visit_id}:logOutcome", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/home-visits/{Guid.NewGuid()}:logOutcome", new JsonObject { ["outcome"] = "VISIT_OUTCOME_RESOLVED", ["notes"] = "x" })),
        new("post", "/api/v1/home-visits/{home_visit_id}:move", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/home-visits/{Guid.NewGuid()}:move", new JsonObject
            {
                ["day"] = Day(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(3))),
                ["windowStart"] = new JsonObject { ["hours"] = 13 }, ["windowEnd"] = new JsonObject { ["hours"] = 15 }, ["reason"] = "BOLA",
            })),
        new("post", "/api/v1/home-visits/{home_visit_id}:cancel", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/home-visits/{Guid.NewGuid()}:cancel", new JsonObject { ["reason"] = "BOLA" })),
        new("get", "/api/v1/home-visits", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/home-visits?programmeId={w.ProgrammeId}")),
        new("post", "/api/v1/programmes/{programme_id}/attendance", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/programmes/{w.ProgrammeId}/attendance", new JsonObject
        {
            ["day"] = Day(BolaWorld.FirstDay.AddDays(1)),
            ["records"] = new JsonArray(new JsonObject { ["traineeId"] = o.PersonId, ["status"] = "ATTENDANCE_STATUS_PRESENT" }),
        })),
        new("get", "/api/v1/programmes/{programme_id}/attendance", Scope.OwnList, (w, o) =>
            Call.Get($"/api/v1/programmes/{w.ProgrammeId}/attendance?traineeId={o.PersonId}"), o => o.PersonId),

        // ----- materials -----
        new("post", "/api/v1/materials", Scope.NotForThem, (w, o) => Call.Post("/api/v1/materials", new JsonObject
        {
            ["code"] = "BOLA-" + Guid.NewGuid().ToString("N")[..6], ["name"] = "Not a material", ["baseUnit"] = "BASE_UNIT_PIECE",
        })),
        new("get", "/api/v1/materials/{material_id}", Scope.Shared, (w, o) => Call.Get($"/api/v1/materials/{w.MaterialId}")),
        new("get", "/api/v1/materials", Scope.Shared, (w, o) => Call.Get("/api/v1/materials")),
        new("post", "/api/v1/products", Scope.NotForThem, (w, o) => Call.Post("/api/v1/products", new JsonObject
        {
            ["code"] = "BOLA-" + Guid.NewGuid().ToString("N")[..6], ["name"] = "Not a product",
        })),
        new("get", "/api/v1/products/{product_id}", Scope.Shared, (w, o) => Call.Get($"/api/v1/products/{w.ProductId}")),
        new("get", "/api/v1/products", Scope.Shared, (w, o) => Call.Get("/api/v1/products")),
        new("post", "/api/v1/products/{product_id}/bom-versions", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/products/{w.ProductId}/bom-versions", new JsonObject
        {
            ["lines"] = new JsonArray(new JsonObject { ["materialId"] = w.MaterialId, ["quantityPerUnit"] = "1" }),
        })),
        new("get", "/api/v1/products/{product_id}/bom-versions/{version}", Scope.Shared, (w, o) =>
            Call.Get($"/api/v1/products/{w.ProductId}/bom-versions/{w.BomVersion}")),
        new("post", "/api/v1/locations", Scope.NotForThem, (w, o) => Call.Post("/api/v1/locations", new JsonObject
        {
            ["kind"] = "LOCATION_KIND_DISTRICT_OFFICE", ["name"] = "Not a location", ["district"] = "Hulu Sungai Utara",
        })),
        new("get", "/api/v1/locations/{location_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/locations/{o.HomeLocationId}"), Note: "the trainee's home"),
        new("get", "/api/v1/locations", Scope.NotForThem, (w, o) => Call.Get("/api/v1/locations?kind=LOCATION_KIND_TRAINEE_HOME")),
        new("post", "/api/v1/stock/receipts", Scope.NotForThem, (w, o) => Call.Post("/api/v1/stock/receipts", new JsonObject
        {
            ["locationId"] = o.HomeLocationId, ["supplierDocumentNumber"] = "BOLA", ["lotCode"] = "BOLA",
            ["lines"] = new JsonArray(new JsonObject { ["materialId"] = w.MaterialId, ["quantity"] = "1" }),
        })),
        new("post", "/api/v1/stock/transfers", Scope.NotForThem, (w, o) => Call.Post("/api/v1/stock/transfers", new JsonObject
        {
            ["fromLocationId"] = o.HomeLocationId, ["toLocationId"] = w.WarehouseId,
            ["lines"] = new JsonArray(new JsonObject { ["materialId"] = w.MaterialId, ["quantity"] = "1" }),
        })),
        new("post", "/api/v1/stock/returns", Scope.NotForThem, (w, o) => Call.Post("/api/v1/stock/returns", new JsonObject
        {
            ["fromLocationId"] = o.HomeLocationId, ["toLocationId"] = w.WarehouseId, ["programmeId"] = w.ProgrammeId,
            ["lines"] = new JsonArray(new JsonObject { ["materialId"] = w.MaterialId, ["quantity"] = "1" }),
        })),
        new("post", "/api/v1/stock/adjustments", Scope.NotForThem, (w, o) => Call.Post("/api/v1/stock/adjustments", new JsonObject
        {
            ["locationId"] = o.HomeLocationId, ["materialId"] = w.MaterialId, ["quantityDelta"] = "1", ["reason"] = "BOLA",
        })),
        new("get", "/api/v1/stock/movements/{movement_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/stock/movements/{o.KitMovementId}"), Note: "the kit sent to the home"),
        new("get", "/api/v1/stock/balances", Scope.OwnList, (w, o) => Call.Get($"/api/v1/stock/balances?locationId={o.HomeLocationId}"), o => o.HomeLocationId),
        new("get", "/api/v1/stock/ledger", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/stock/ledger?programmeId={w.ProgrammeId}")),
        new("get", "/api/v1/stock/lots", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/stock/lots?materialId={w.MaterialId}")),
        new("post", "/api/v1/kits/plans", Scope.NotForThem, (w, o) => Call.Post("/api/v1/kits/plans", new JsonObject
        {
            ["programmeId"] = w.ProgrammeId, ["productId"] = w.ProductId, ["sourceLocationId"] = w.WarehouseId,
            ["quotas"] = new JsonArray(new JsonObject { ["traineeId"] = o.PersonId, ["quota"] = 1 }),
        })),
        new("get", "/api/v1/kits/plans/{kit_plan_id}", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/kits/plans/{w.KitPlanId}"),
            Note: "a plan lists every trainee's kit"),
        new("post", "/api/v1/kits/plans/{kit_plan_id}:dispatch", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/kits/plans/{w.KitPlanId}:dispatch")),
        new("get", "/api/v1/stock/capacity", Scope.Own, (w, o) => Call.Get($"/api/v1/stock/capacity?traineeId={o.PersonId}&productId={w.ProductId}")),
        new("get", "/api/v1/stock/yields", Scope.OwnList, (w, o) => Call.Get($"/api/v1/stock/yields?programmeId={w.ProgrammeId}&traineeId={o.PersonId}"), o => o.PersonId),

        // ----- production -----
        new("post", "/api/v1/output-reports", Scope.Own, (w, o) => Call.Post("/api/v1/output-reports", new JsonObject
        {
            ["programmeId"] = w.ProgrammeId, ["traineeId"] = o.PersonId, ["productCode"] = BolaWorld.ProductCode, ["day"] = Day(BolaWorld.FirstDay.AddDays(1)), ["units"] = 1,
        })),
        new("get", "/api/v1/output-reports/{report_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/output-reports/{o.ReportId}")),
        new("get", "/api/v1/output-reports", Scope.OwnList, (w, o) => Call.Get($"/api/v1/output-reports?programmeId={w.ProgrammeId}&traineeId={o.PersonId}"), o => o.ReportId),
        new("post", "/api/v1/inspections", Scope.NotForThem, (w, o) => Call.Post("/api/v1/inspections", new JsonObject
        {
            ["programmeId"] = w.ProgrammeId, ["traineeId"] = o.PersonId, ["day"] = Day(BolaWorld.FirstDay), ["acceptedUnits"] = 1, ["inspectorId"] = w.InstructorId,
        })),
        new("post", "/api/v1/inspections/{inspection_id}:signOff", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/inspections/{o.InspectionId}:signOff", new JsonObject
        {
            ["healthExpertId"] = o.PersonId, ["acceptedUnits"] = 1,
        })),
        new("get", "/api/v1/inspections/{inspection_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/inspections/{o.InspectionId}")),
        new("get", "/api/v1/inspections", Scope.OwnList, (w, o) => Call.Get($"/api/v1/inspections?programmeId={w.ProgrammeId}&traineeId={o.PersonId}"), o => o.InspectionId),
        new("post", "/api/v1/inspections/{inspection_id}:sendBackForRework", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/inspections/{o.InspectionId}:sendBackForRework", new JsonObject { ["units"] = 1, ["note"] = "BOLA" })),
        new("get", "/api/v1/rework-orders", Scope.OwnList, (w, o) => Call.Get($"/api/v1/rework-orders?programmeId={w.ProgrammeId}&traineeId={o.PersonId}")),
        new("get", "/api/v1/production/products/{product_code}/defect-checklist", Scope.Shared, (w, o) =>
            Call.Get($"/api/v1/production/products/{BolaWorld.ProductCode}/defect-checklist")),
        new("post", "/api/v1/production/products/{product_code}/defect-checklist", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/production/products/{BolaWorld.ProductCode}/defect-checklist", new JsonObject
            {
                ["codes"] = new JsonArray(new JsonObject { ["code"] = "BOLA", ["label"] = "BOLA" }),
            })),
        new("get", "/api/v1/production/programmes/{programme_id}/trainees/{trainee_id}/daily-series", Scope.Own, (w, o) =>
            Call.Get($"/api/v1/production/programmes/{w.ProgrammeId}/trainees/{o.PersonId}/daily-series")),
        new("get", "/api/v1/production/programmes/{programme_id}/totals", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/production/programmes/{w.ProgrammeId}/totals"),
            Note: "programme-wide figures"),
        new("get", "/api/v1/production/programmes/{programme_id}/defect-counts", Scope.Own, (w, o) =>
            Call.Get($"/api/v1/production/programmes/{w.ProgrammeId}/defect-counts?traineeId={o.PersonId}")),

        // ----- coordinator (quotas) -----
        new("post", "/api/v1/quotas/programmes/{programme_id}/trainees/{trainee_id}:override", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/quotas/programmes/{w.ProgrammeId}/trainees/{o.PersonId}:override", new JsonObject { ["quota"] = 40, ["reason"] = "BOLA" })),
        new("post", "/api/v1/quotas/programmes/{programme_id}/trainees/{trainee_id}:clearOverride", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/quotas/programmes/{w.ProgrammeId}/trainees/{o.PersonId}:clearOverride")),
        new("post", "/api/v1/quotas/programmes/{programme_id}:evaluatePace", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/quotas/programmes/{w.ProgrammeId}:evaluatePace", new JsonObject { ["asOfDay"] = Day(BolaWorld.FirstDay) })),
        new("get", "/api/v1/quotas/programmes/{programme_id}/progress", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/quotas/programmes/{w.ProgrammeId}/progress"),
            Note: "lists every trainee's quota"),
        new("get", "/api/v1/quotas/programmes:batchGet", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/quotas/programmes:batchGet?programmeIds={w.ProgrammeId}")),
        new("get", "/api/v1/quotas/programmes/{programme_id}/trainees/{trainee_id}", Scope.Own, (w, o) =>
            Call.Get($"/api/v1/quotas/programmes/{w.ProgrammeId}/trainees/{o.PersonId}"),
            Note: "the coordinator asks participants whose person the token's subject is"),
        new("get", "/api/v1/quotas/programmes/{programme_id}/progress:watch", Scope.NotForThem, (w, o) =>
            Call.Get($"/api/v1/quotas/programmes/{w.ProgrammeId}/progress:watch")),
        // ----- notifications -----
        new("get", "/api/v1/notifications/people/{subject}/messages", Scope.Own, (w, o) => Call.Get($"/api/v1/notifications/people/{o.Subject}/messages"),
            Note: "a person's messages: their own (empty here) is 200"),
        new("post", "/api/v1/notifications/messages/{message_id}:resend", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/notifications/messages/{o.ReportId}:resend"),
            Note: "office work; the id of a record of the person stands in for a message id"),
        new("get", "/api/v1/notifications/programmes/{programme_id}/failed-deliveries", Scope.NotForThem,
            (w, o) => Call.Get($"/api/v1/notifications/programmes/{w.ProgrammeId}/failed-deliveries")),
        new("post", "/api/v1/notifications/webhooks", Scope.NotForThem, (w, o) => Call.Post("/api/v1/notifications/webhooks", new JsonObject
        {
            ["url"] = "https://integrator.example/hooks/" + o.Name, ["eventTypes"] = new JsonArray("WEBHOOK_EVENT_TYPE_QUOTA_CHANGED"),
        }), Note: "integrators' and operators' work"),
        new("get", "/api/v1/notifications/webhooks", Scope.NotForThem, (w, o) => Call.Get("/api/v1/notifications/webhooks")),
        new("post", "/api/v1/notifications/webhooks/{webhook_id}:disable", Scope.NotForThem, (w, o) => Call.Post($"/api/v1/notifications/webhooks/{o.ReportId}:disable")),
        new("get", "/api/v1/notifications/webhooks/{webhook_id}/deliveries", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/notifications/webhooks/{o.ReportId}/deliveries")),
    ];

    public static readonly IReadOnlyList<BolaRoute> Recipient =
    [
        new("post", "/api/v1/recipients", Scope.NotForThem, (w, o) => Call.Post("/api/v1/recipients", new JsonObject
        {
            ["kind"] = "RECIPIENT_KIND_OTHER", ["name"] = "Not an agency " + Guid.NewGuid().ToString("N")[..4], ["district"] = "Hulu Sungai Utara",
            ["userSubjects"] = Strings([o.Subject]),
        })),
        new("get", "/api/v1/recipients/{recipient_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/recipients/{o.RecipientId}")),
        new("get", "/api/v1/recipients", Scope.OwnList, (w, o) => Call.Get("/api/v1/recipients?kind=RECIPIENT_KIND_HEALTH_CENTRE"), o => o.RecipientId,
            Note: "no per-agency filter: every variant lists the caller's agencies only"),
        new("get", "/api/v1/finished-goods", Scope.NotForThem, (w, o) => Call.Get($"/api/v1/finished-goods?programmeId={w.ProgrammeId}")),
        new("post", "/api/v1/handovers", Scope.NotForThem, (w, o) => Call.Post("/api/v1/handovers", w.HandoverBody(o.RecipientId, 1))),
        new("get", "/api/v1/handovers/{handover_id}", Scope.Own, (w, o) => Call.Get($"/api/v1/handovers/{o.IssuedHandoverId}")),
        new("get", "/api/v1/handovers", Scope.OwnList, (w, o) => Call.Get($"/api/v1/handovers?recipientId={o.RecipientId}"), o => o.IssuedHandoverId),
        new("post", "/api/v1/handovers/{handover_id}:cancel", Scope.NotForThem, (w, o) =>
            Call.Post($"/api/v1/handovers/{o.IssuedHandoverId}:cancel", new JsonObject { ["reason"] = "BOLA" })),
        new("post", "/api/v1/handovers/{handover_id}:confirm", Scope.Own, (w, o) => Call.Post($"/api/v1/handovers/{o.IssuedHandoverId}:confirm")),
        new("get", "/api/v1/handovers/{handover_id}/document", Scope.Own, (w, o) => Call.Get($"/api/v1/handovers/{o.ConfirmedHandoverId}/document")),
        new("post", "/api/v1/onward-deliveries", Scope.Own, (w, o) => Call.Post("/api/v1/onward-deliveries", w.OnwardBody(o.RecipientId, o.ConfirmedHandoverId))),
        new("get", "/api/v1/onward-deliveries", Scope.OwnList, (w, o) => Call.Get($"/api/v1/onward-deliveries?recipientId={o.RecipientId}"), o => o.RecipientId),
        new("get", "/api/v1/distribution/reports/programmes/{programme_id}", Scope.NotForThem, (w, o) =>
            Call.Get($"/api/v1/distribution/reports/programmes/{w.ProgrammeId}")),
        new("get", "/api/v1/distribution/reports/programmes/{programme_id}/csv", Scope.NotForThem, (w, o) =>
            Call.Get($"/api/v1/distribution/reports/programmes/{w.ProgrammeId}/csv")),
        new("get", "/api/v1/distribution/reports/programmes/{programme_id}/xlsx", Scope.NotForThem, (w, o) =>
            Call.Get($"/api/v1/distribution/reports/programmes/{w.ProgrammeId}/xlsx")),
        new("get", "/api/v1/distribution/reports/recipients", Scope.OwnList, (w, o) =>
            Call.Get($"/api/v1/distribution/reports/recipients?recipientId={o.RecipientId}"), o => o.RecipientId),
        new("get", "/api/v1/distribution/reports/recipients/csv", Scope.OwnList, (w, o) =>
            Call.Get($"/api/v1/distribution/reports/recipients/csv?recipientId={o.RecipientId}"), o => o.RecipientId),
        // The same report as the CSV above, zipped: its rows cannot be searched as text, so this entry checks who may
        // read it (own 2xx, another's refused); the CSV entry checks which rows it holds.
        new("get", "/api/v1/distribution/reports/recipients/xlsx", Scope.OwnList, (w, o) =>
            Call.Get($"/api/v1/distribution/reports/recipients/xlsx?recipientId={o.RecipientId}")),
    ];
}
