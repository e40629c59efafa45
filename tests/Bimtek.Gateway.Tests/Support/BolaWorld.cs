using System.Diagnostics;
using System.Text.Json.Nodes;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.ServiceDefaults.Security;
using static Bimtek.Scenarios.Rest.Json;

namespace Bimtek.Gateway.Tests.Support;

/// <summary>The records of one person (a trainee, or a recipient agency's user): every id a route can name.</summary>
public sealed record Owner(string Name, string Subject)
{
    public string PersonId { get; set; } = Guid.NewGuid().ToString();
    public string EnrolmentId { get; set; } = Guid.NewGuid().ToString();
    public string AssistanceRequestId { get; set; } = Guid.NewGuid().ToString();
    public string HomeLocationId { get; set; } = Guid.NewGuid().ToString();
    public string KitMovementId { get; set; } = Guid.NewGuid().ToString();
    public string ReportId { get; set; } = Guid.NewGuid().ToString();
    public string InspectionId { get; set; } = Guid.NewGuid().ToString();
    public string RecipientId { get; set; } = Guid.NewGuid().ToString();
    public string IssuedHandoverId { get; set; } = Guid.NewGuid().ToString();
    public string ConfirmedHandoverId { get; set; } = Guid.NewGuid().ToString();

    /// <summary>Ids that must never appear in an answer to somebody else.</summary>
    public IReadOnlyList<string> Markers =>
        [PersonId, EnrolmentId, AssistanceRequestId, HomeLocationId, KitMovementId, ReportId, InspectionId, RecipientId, IssuedHandoverId, ConfirmedHandoverId];

    /// <summary>Ids nobody has: the "unknown record" column.</summary>
    public static Owner Unknown() => new("nobody", "nobody-" + Guid.NewGuid().ToString("N")[..8]);
}

/// <summary>
/// One programme with two trainees, Alice and Budi, and records of each in every service, plus two recipient
/// agencies (Ayu's and Bayu's) with handovers and onward deliveries — set up as the operator through the gateway
/// with the REST shapes of deploy/Scenarios.
/// </summary>
public sealed class BolaWorld
{
    public const string ProductCode = "MASK-SASIRANGAN-3PLY";
    public static readonly DateOnly FirstDay = new(2020, 5, 18);

    public Owner Alice { get; } = new("Alice", "trainee-alice-" + Guid.NewGuid().ToString("N")[..6]);
    public Owner Budi { get; } = new("Budi", "trainee-budi-" + Guid.NewGuid().ToString("N")[..6]);
    public Owner Ayu { get; } = new("Ayu", "recipient-ayu-" + Guid.NewGuid().ToString("N")[..6]);
    public Owner Bayu { get; } = new("Bayu", "recipient-bayu-" + Guid.NewGuid().ToString("N")[..6]);

    public string ProgrammeId { get; private set; } = "";
    public string InstructorId { get; private set; } = "";
    public string LessonId { get; private set; } = "";
    public string ProductId { get; private set; } = "";
    public string MaterialId { get; private set; } = "";
    public long BomVersion { get; private set; }
    public string WarehouseId { get; private set; } = "";
    public string KitPlanId { get; private set; } = "";

    public static async Task<BolaWorld> CreateAsync(GatewayHost gateway, TextWriter log)
    {
        var world = new BolaWorld();
        using var http = gateway.ClientFor(Roles.Operator);
        await world.SetUpAsync(new SuiteApi(new RestClient(http, log)), log);
        return world;
    }

    private async Task SetUpAsync(SuiteApi api, TextWriter log)
    {
        var ct = CancellationToken.None;
        var rest = api.Rest;
        var product = await api.FindProductAsync(ProductCode, ct);
        ProductId = product.Required("productId", "product");
        var bom = product["currentBom"].Array("lines");
        MaterialId = bom[0].Str("materialId");
        BomVersion = product["currentBom"].Long("version");
        WarehouseId = (await api.FindLocationAsync("LOCATION_KIND_PROVINCIAL_WAREHOUSE", ct)).Required("locationId", "warehouse");

        // Participants: the programme, its instructor and lesson, the two trainees enrolled.
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        ProgrammeId = (await api.CreateProgrammeAsync(ProgrammeBody($"BOLA-{suffix}"), ct)).Required("programmeId", "programme");
        var instructor = await api.RegisterStaffAsync("STAFF_KIND_INSTRUCTOR", $"Instruktur {suffix}", ProgrammeSpec.District, "Disperindagkop-UKM HSU", ct);
        InstructorId = instructor.Required("personId", "instructor");
        await api.AssignStaffAsync(ProgrammeId, InstructorId, "STAFF_ROLE_INSTRUCTOR", ct);
        LessonId = (await api.AddLessonAsync(ProgrammeId, 1, "Memotong pola", 600, "cutting", ct)).Required("lessonId", "lesson");
        foreach (var trainee in new[] { Alice, Budi })
        {
            trainee.PersonId = (await api.RegisterTraineeAsync(TraineeBody(trainee), ct)).Required("personId", "trainee");
            trainee.EnrolmentId = (await api.EnrolAsync(ProgrammeId, trainee.PersonId, ct)).Required("enrolmentId", "enrol");
        }
        await api.ActivateProgrammeAsync(ProgrammeId, ct);
        foreach (var trainee in new[] { Alice, Budi })
        {
            await api.RecordLessonProgressAsync(LessonId, trainee.PersonId, 600, 100, ct);
            trainee.AssistanceRequestId = (await api.OpenAssistanceRequestAsync(ProgrammeId, trainee.PersonId, LessonId, "cutting", "Mohon bantuan", ct))
                .Required("assistanceRequestId", "assistance");
        }
        await rest.PostAsync("attendance", $"/api/v1/programmes/{ProgrammeId}/attendance", new JsonObject
        {
            ["day"] = Date(FirstDay),
            ["records"] = new JsonArray(
                new JsonObject { ["traineeId"] = Alice.PersonId, ["status"] = "ATTENDANCE_STATUS_PRESENT" },
                new JsonObject { ["traineeId"] = Budi.PersonId, ["status"] = "ATTENDANCE_STATUS_PRESENT" }),
        }, ct);

        // Coordinator: the enrolments arrive through participants' outbox.
        await WaitAsync("coordinator holds both trainees", async () =>
        {
            var progress = await api.GetProgressAsync(ProgrammeId, null, ct);
            return progress.Array("trainees").Count == 2;
        });

        // Materials: stock in the warehouse, one kit per trainee sent to a home that names the trainee's subject.
        const int quota = 20;
        await api.ReceiveStockAsync(WarehouseId, $"SPB/BOLA/{suffix}", $"LOT-BOLA-{suffix}",
            bom.Select(line => (line.Str("materialId"), 2 * Steps.KitQuantity(line, quota))), "BOLA", ct);
        var plan = await rest.PostAsync("plan kits", "/api/v1/kits/plans", new JsonObject
        {
            ["programmeId"] = ProgrammeId,
            ["productId"] = ProductId,
            ["sourceLocationId"] = WarehouseId,
            ["quotas"] = new JsonArray(
                new JsonObject { ["traineeId"] = Alice.PersonId, ["quota"] = quota, ["traineeSubject"] = Alice.Subject },
                new JsonObject { ["traineeId"] = Budi.PersonId, ["quota"] = quota, ["traineeSubject"] = Budi.Subject }),
        }, ct);
        KitPlanId = plan.Required("kitPlanId", "plan kits");
        var dispatched = await api.DispatchKitPlanAsync(KitPlanId, ct);
        foreach (var kit in dispatched.Array("kits"))
        {
            var trainee = kit.Str("traineeId") == Alice.PersonId ? Alice : Budi;
            trainee.HomeLocationId = kit.Str("homeLocationId");
            trainee.KitMovementId = kit.Str("movementId");
        }

        // Production: ten masks each, inspected and accepted by the instructor.
        foreach (var trainee in new[] { Alice, Budi })
        {
            trainee.ReportId = (await api.ReportOutputAsync(ProgrammeId, trainee.PersonId, ProductCode, FirstDay, 10, ct)).Required("reportId", "report");
        }
        await WaitAsync("production records both reports", async () =>
        {
            var totals = await api.GetProgrammeTotalsAsync(ProgrammeId, ct);
            return totals.Int("reportedUnits") == 20 && totals.Int("pendingReports") == 0;
        });
        foreach (var trainee in new[] { Alice, Budi })
        {
            trainee.InspectionId = (await api.InspectAsync(ProgrammeId, trainee.PersonId, FirstDay, 10, InstructorId, "Baik", ct))
                .Required("inspectionId", "inspect");
        }

        // Distribution: the accepted masks arrive through production's outbox; two agencies get two handovers each.
        await WaitAsync("distribution receives the accepted masks", async () =>
        {
            var goods = await api.ListFinishedGoodsAsync(ProgrammeId, ct);
            return goods.Array("finishedGoods").Sum(g => g.Int("availableUnits")) == 20;
        });
        foreach (var agency in new[] { Ayu, Bayu })
        {
            agency.RecipientId = (await rest.PostAsync("create recipient", "/api/v1/recipients", new JsonObject
            {
                ["kind"] = "RECIPIENT_KIND_HEALTH_CENTRE",
                ["name"] = $"Puskesmas {agency.Name} {suffix}",
                ["district"] = ProgrammeSpec.District,
                ["userSubjects"] = Strings([agency.Subject]),
            }, ct)).Required("recipientId", "recipient");
            agency.ConfirmedHandoverId = (await api.CreateHandoverAsync(HandoverBody(agency.RecipientId, 5), ct)).Required("handoverId", "handover");
            await rest.PostAsync("confirm", $"/api/v1/handovers/{agency.ConfirmedHandoverId}:confirm", [], ct);
            agency.IssuedHandoverId = (await api.CreateHandoverAsync(HandoverBody(agency.RecipientId, 5), ct)).Required("handoverId", "handover");
            await rest.PostAsync("onward", "/api/v1/onward-deliveries", OnwardBody(agency.RecipientId, agency.ConfirmedHandoverId), ct);
        }
        log.WriteLine($"world: programme {ProgrammeId}, Alice {Alice.PersonId}, Budi {Budi.PersonId}, Ayu's agency {Ayu.RecipientId}, Bayu's {Bayu.RecipientId}");
    }

    public JsonObject ProgrammeBody(string code) => new()
    {
        ["code"] = code,
        ["title"] = "Bimtek masker (BOLA)",
        ["productCode"] = ProductCode,
        ["organisers"] = Strings(["Disperindagkop-UKM HSU"]),
        ["district"] = ProgrammeSpec.District,
        ["province"] = ProgrammeSpec.Province,
        ["mode"] = "PROGRAMME_MODE_ONLINE_HOME_BASED",
        ["startDay"] = Date(FirstDay),
        ["endDay"] = Date(FirstDay.AddDays(2)),
        ["timeZone"] = ProgrammeSpec.TimeZone,
        ["capacity"] = 5,
        ["targetQuantity"] = 40,
    };

    public static JsonObject TraineeBody(Owner trainee) => new()
    {
        ["name"] = trainee.Name,
        ["birthYear"] = 1990,
        ["village"] = "Sungai Karias",
        ["district"] = ProgrammeSpec.District,
        ["subject"] = trainee.Subject,
    };

    public JsonObject HandoverBody(string recipientId, int units) => new()
    {
        ["programmeId"] = ProgrammeId,
        ["productCode"] = ProductCode,
        ["units"] = units,
        ["recipientId"] = recipientId,
        ["day"] = Date(FirstDay.AddDays(5)),
        ["place"] = "Amuntai",
        ["giver"] = new JsonObject { ["name"] = "Kepala Dinas", ["position"] = "Kepala Dinas" },
        ["receiver"] = new JsonObject { ["name"] = "Kepala Puskesmas", ["position"] = "Kepala" },
        ["programmeTitle"] = "Bimtek masker (BOLA)",
        ["productName"] = "Masker",
    };

    public JsonObject OnwardBody(string recipientId, string handoverId) => new()
    {
        ["recipientId"] = recipientId,
        ["handoverId"] = handoverId,
        ["place"] = "Desa Paliwara",
        ["day"] = Date(FirstDay.AddDays(6)),
        ["units"] = 1,
        ["households"] = 1,
    };

    /// <summary>Waits for an outbox delivery; until it lands the read may also answer 404 (the record is not there yet).</summary>
    private static async Task WaitAsync(string what, Func<Task<bool>> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            ScenarioFailure? last = null;
            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (ScenarioFailure failure)
            {
                last = failure;
            }
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{what}: not reached within 30 s", last);
            }
            await Task.Delay(100);
        }
    }
}
