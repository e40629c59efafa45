using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;

namespace Bimtek.Dashboard.Tests;

/// <summary>
/// A small PPE programme for the people who sign in through the identity service: its health expert (an account
/// that participants' outbox creates, subject = person id) has one inspection awaiting sign-off, and a recipient
/// agency with one user (subject <see cref="RecipientSubject"/>) has one issued handover of the programme's
/// other, signed-off sets.
/// </summary>
public sealed partial class DashboardFixture
{
    /// <summary>The medical programme of the sign-off and handover tests.</summary>
    public string SignOffProgrammeId { get; private set; } = "";

    /// <summary>The instructor-passed inspection (2 sets) that awaits the health expert's sign-off.</summary>
    public string AwaitingInspectionId { get; private set; } = "";

    public string HealthExpertId { get; private set; } = "";

    /// <summary>The health expert's account subject (participants gives staff their person id as subject).</summary>
    public string HealthExpertSubject => HealthExpertId;

    public string RecipientSubject { get; private set; } = "";

    public string RecipientName { get; private set; } = "";

    /// <summary>The issued handover of 2 sets to that recipient.</summary>
    public string RecipientHandoverId { get; private set; } = "";

    private async Task CreateSignOffProgrammeAsync(SuiteApi api, CancellationToken ct)
    {
        var steps = new Steps(api, new ScenarioOptions(TimeSpan.FromSeconds(60)));
        var today = Steps.TodayInProgrammeZone();
        var spec = new ProgrammeSpec("DASH-APD", "Bimtek APD (dasbor)", Ppe2020.ProductCode, ["Disperindagkop-UKM HSU"],
            today.AddDays(-1), today.AddDays(5), Capacity: 1, Target: 4, [new("Rahmawati", 1996, "Paliwara", null)]);
        steps.Banner("Dashboard: a PPE programme with one inspection awaiting sign-off and one handover to a recipient with a user");
        var (product, bom) = await steps.ProductAsync(Ppe2020.ProductCode, ct);
        var programmeId = await steps.CreateProgrammeAsync(spec, ct);
        var warehouseId = await steps.ReceiveFromProvinceAsync(bom, [4], programmeId, ct);
        var instructorId = await steps.StaffAsync(programmeId, "STAFF_KIND_INSTRUCTOR", "STAFF_ROLE_INSTRUCTOR",
            "Instruktur APD Dasbor", "Disperindagkop-UKM HSU", ct);
        HealthExpertId = await steps.StaffAsync(programmeId, "STAFF_KIND_HEALTH_EXPERT", "STAFF_ROLE_HEALTH_EXPERT",
            "dr. Dasbor", "Puskesmas Amuntai", ct);
        var trainees = await steps.EnrolTraineesAsync(programmeId, spec, ct);
        await steps.ActivateAsync(programmeId, 1, ct);
        var quotas = await steps.QuotasAsync(programmeId, trainees, spec.Target, ct);
        await steps.KitsAsync(programmeId, product.Required("productId", "find product"), warehouseId, trainees, quotas, ct);
        DateOnly[] days = [today.AddDays(-1), today];
        await steps.ReportOutputAsync(programmeId, Ppe2020.ProductCode, trainees, (_, _) => 2, days, null, ct);
        await steps.WaitRecordedAsync(programmeId, 4, ct);

        // Day 1: passed and signed off (by the operator for the health expert) → 2 sets for distribution.
        var first = await api.InspectAsync(programmeId, trainees[0], days[0], 2, instructorId, "Jahitan rapi", ct);
        await api.SignOffAsync(first.Required("inspectionId", "inspect day 1"), HealthExpertId, 2, "Memenuhi standar medis", ct);
        // Day 2: passed by the instructor, left for the health expert to sign off in the browser.
        var second = await api.InspectAsync(programmeId, trainees[0], days[1], 2, instructorId, "Jahitan rapi", ct);
        Steps.Expect("inspect day 2", second.Str("status") == "INSPECTION_STATUS_AWAITING_SIGN_OFF",
            $"an instructor's pass of PPE should await sign-off: {second.ToJsonString()}");
        AwaitingInspectionId = second.Required("inspectionId", "inspect day 2");
        await steps.WaitAvailableAsync(programmeId, Ppe2020.ProductCode, 2, ct);

        var suffix = steps.Suffix.ToLowerInvariant();
        RecipientSubject = "recipient-" + suffix;
        RecipientName = "Puskesmas Paringin " + steps.Suffix;
        var recipient = await api.Rest.PostAsync("create recipient", "/api/v1/recipients", new JsonObject
        {
            ["kind"] = "RECIPIENT_KIND_HEALTH_CENTRE",
            ["name"] = RecipientName,
            ["district"] = ProgrammeSpec.District,
            ["contactPerson"] = "Kepala Puskesmas",
            ["userSubjects"] = new JsonArray(RecipientSubject),
        }, ct);
        var handover = await api.CreateHandoverAsync(new JsonObject
        {
            ["programmeId"] = programmeId,
            ["productCode"] = Ppe2020.ProductCode,
            ["units"] = 2,
            ["recipientId"] = recipient.Required("recipientId", "create recipient"),
            ["day"] = Json.Date(today),
            ["place"] = "Kantor Disperindagkop-UKM HSU, Amuntai",
            ["giver"] = new JsonObject { ["name"] = "Kepala Dinas Disperindagkop-UKM HSU", ["position"] = "Kepala Dinas" },
            ["receiver"] = new JsonObject { ["name"] = "Kepala Puskesmas", ["position"] = "Kepala Puskesmas" },
            ["programmeTitle"] = spec.Title,
            ["productName"] = product.Str("name"),
        }, ct);
        RecipientHandoverId = handover.Required("handoverId", "hand over");
        SignOffProgrammeId = programmeId;
    }

    /// <summary>
    /// An invitation link for the account <paramref name="subject"/>, issued by the operator through the gateway. The
    /// account arrives at identity through an outbox, so a NOT_FOUND is asked again until it exists (60 s).
    /// </summary>
    public async Task<string> InvitationUrlAsync(string subject)
    {
        using var http = Suite.CreateGatewayClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await http.PostAsJsonAsync("/api/v1/invitations", new { requestId = Guid.NewGuid(), subject });
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return JsonNode.Parse(body)!["url"]!.GetValue<string>();
            }
            if (response.StatusCode != HttpStatusCode.NotFound || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Invitation for {subject}: {(int)response.StatusCode} {body}");
            }
            await Task.Delay(500);
        }
    }
}
