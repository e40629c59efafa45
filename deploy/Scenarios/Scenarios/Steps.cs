using System.Diagnostics;
using System.Text.Json.Nodes;
using Bimtek.Scenarios.Rest;
using static Bimtek.Scenarios.Rest.Json;

namespace Bimtek.Scenarios.Scenarios;

/// <summary>
/// The steps both seed programmes share. Each run makes fresh codes and names from <see cref="Suffix"/>, so
/// it can be repeated on the same suite; effects that travel through outboxes are awaited by polling.
/// </summary>
public sealed class Steps(SuiteApi api, ScenarioOptions options)
{
    public SuiteApi Api { get; } = api;

    /// <summary>When set, trainees get logins and report their output with their own tokens.</summary>
    public TraineeSignIn? TraineeSignIn { get; init; }

    private readonly Dictionary<string, string> _subjects = new(StringComparer.Ordinal);

    public TextWriter Log => Api.Rest.Log;

    /// <summary>Upper-case hex, unique per run.</summary>
    public string Suffix { get; } = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public void Banner(string text) => Log.WriteLine($"==> {text}");

    /// <summary>Fails the step unless <paramref name="condition"/> holds.</summary>
    public static void Expect(string step, bool condition, string message)
    {
        if (!condition)
        {
            throw new ScenarioFailure(step, message);
        }
    }

    /// <summary>Polls until <paramref name="probe"/> says done; fails with the last observed state after the timeout.</summary>
    public async Task WaitAsync(string step, Func<Task<(bool Done, string State)>> probe, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(200);
        var state = "";
        while (true)
        {
            ScenarioFailure? lastFailure = null;
            try
            {
                (var done, state) = await probe();
                if (done)
                {
                    Log.WriteLine($"    {step}: {state} (after {watch.Elapsed.TotalSeconds:0.0} s)");
                    return;
                }
            }
            catch (ScenarioFailure failure) when (failure.StatusCode is not null)
            {
                lastFailure = failure;
                state = failure.Message;
            }
            if (watch.Elapsed > options.WaitTimeout)
            {
                throw new ScenarioFailure(step, $"not reached within {options.WaitTimeout.TotalSeconds:0} s; last seen: {state}", lastFailure);
            }
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 2000));
        }
    }

    /// <summary>Quotas by the coordinator's rule: even split, remainder to the earliest enrolled.</summary>
    public static IReadOnlyList<int> EvenQuotas(int target, int trainees) =>
        [.. Enumerable.Range(0, trainees).Select(i => target / trainees + (i < target % trainees ? 1 : 0))];

    /// <summary>Kit quantity of one BOM line for one trainee: per unit × quota × (1 + waste), rounded up.</summary>
    public static long KitQuantity(JsonNode bomLine, int quota)
    {
        var perUnit = bomLine.Long("quantityPerUnit");
        var waste = bomLine.Long("wastePerMille");
        return (perUnit * quota * (1000 + waste) + 999) / 1000;
    }

    public async Task<(JsonNode Product, IReadOnlyList<JsonNode> Bom)> ProductAsync(string code, CancellationToken ct)
    {
        var product = await Api.FindProductAsync(code, ct);
        var bom = product["currentBom"].Array("lines");
        Expect($"find product {code}", bom.Count > 0, $"product {code} has no current bill of materials");
        return (product, bom);
    }

    /// <summary>The province's delivery to its warehouse: enough for every kit of the planned quotas.</summary>
    public async Task<string> ReceiveFromProvinceAsync(IReadOnlyList<JsonNode> bom, IReadOnlyList<int> quotas, string programmeId, CancellationToken ct)
    {
        var warehouse = await Api.FindLocationAsync("LOCATION_KIND_PROVINCIAL_WAREHOUSE", ct);
        var warehouseId = warehouse.Required("locationId", "find provincial warehouse");
        var lines = bom.Select(line => (line.Str("materialId"), quotas.Sum(q => KitQuantity(line, q)))).ToList();
        var movement = await Api.ReceiveStockAsync(warehouseId, $"SPB/{Suffix}/DISPERIN-KALSEL/2020", $"LOT-{Suffix}", lines,
            "Bahan baku dari Dinas Perindustrian Provinsi Kalsel", ct);
        Expect("receive stock from the province", movement.Str("kind") == "MOVEMENT_KIND_RECEIPT",
            $"expected a RECEIPT movement, got {movement.ToJsonString()}");
        Log.WriteLine($"    received {string.Join(", ", lines.Select(l => $"{l.Item2} of {l.Item1}"))} at {warehouse.Str("name")}");
        return warehouseId;
    }

    public async Task<string> CreateProgrammeAsync(ProgrammeSpec spec, CancellationToken ct)
    {
        var programme = await Api.CreateProgrammeAsync(new JsonObject
        {
            ["code"] = $"{spec.CodePrefix}-{Suffix}",
            ["title"] = spec.Title,
            ["productCode"] = spec.ProductCode,
            ["organisers"] = Strings(spec.Organisers),
            ["district"] = ProgrammeSpec.District,
            ["province"] = ProgrammeSpec.Province,
            ["mode"] = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            ["startDay"] = Date(spec.StartDay),
            ["endDay"] = Date(spec.EndDay),
            ["timeZone"] = ProgrammeSpec.TimeZone,
            ["capacity"] = spec.Capacity,
            ["targetQuantity"] = spec.Target,
        }, ct);
        Expect("create programme", programme.Str("status") == "PROGRAMME_STATUS_DRAFT", $"a new programme should be DRAFT: {programme.ToJsonString()}");
        return programme.Required("programmeId", "create programme");
    }

    public async Task<string> StaffAsync(string programmeId, string kind, string role, string name, string organisation, CancellationToken ct)
    {
        var person = await Api.RegisterStaffAsync(kind, $"{name} ({Suffix})", ProgrammeSpec.District, organisation, ct);
        var personId = person.Required("personId", $"register {name}");
        var programme = await Api.AssignStaffAsync(programmeId, personId, role, ct);
        Expect($"assign {name}", programme.Array("staff").Any(s => s.Str("personId") == personId && s.Str("role") == role),
            $"the programme's staff should include {personId} as {role}: {programme.ToJsonString()}");
        return personId;
    }

    /// <summary>Registers and enrols the trainees in order (sequence 1..n); returns their person ids.</summary>
    public async Task<IReadOnlyList<string>> EnrolTraineesAsync(string programmeId, ProgrammeSpec spec, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var trainee in spec.Trainees)
        {
            var request = new JsonObject
            {
                ["name"] = $"{trainee.Name} ({Suffix})",
                ["birthYear"] = trainee.BirthYear,
                ["village"] = trainee.Village,
                ["district"] = ProgrammeSpec.District,
                ["phone"] = "+62812" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (TraineeSignIn is not null)
            {
                request["subject"] = $"trainee-{Suffix.ToLowerInvariant()}-{ids.Count + 1}";
            }
            if (trainee.Guardian is { } guardian)
            {
                request["guardianName"] = guardian;
                request["guardianConsent"] = true;
            }
            var person = await Api.RegisterTraineeAsync(request, ct);
            var personId = person.Required("personId", $"register trainee {trainee.Name}");
            if (trainee.Guardian is not null)
            {
                Expect($"register trainee {trainee.Name}", person["trainee"].Bool("guardianConsent"),
                    $"the guardian's consent should be recorded: {person.ToJsonString()}");
            }
            var enrolment = await Api.EnrolAsync(programmeId, personId, ct);
            Expect($"enrol {trainee.Name}", enrolment.Str("status") == "ENROLMENT_STATUS_ACTIVE" && enrolment.Int("sequence") == ids.Count + 1,
                $"expected an ACTIVE enrolment with sequence {ids.Count + 1}: {enrolment.ToJsonString()}");
            ids.Add(personId);
            if (request["subject"] is { } subject)
            {
                _subjects[personId] = subject.GetValue<string>();
            }
        }
        return ids;
    }

    public async Task ActivateAsync(string programmeId, int expectedTrainees, CancellationToken ct)
    {
        var programme = await Api.ActivateProgrammeAsync(programmeId, ct);
        Expect("activate programme", programme.Str("status") == "PROGRAMME_STATUS_ACTIVE" && programme.Int("enrolledCount") == expectedTrainees,
            $"expected ACTIVE with {expectedTrainees} enrolled: {programme.ToJsonString()}");
    }

    /// <summary>Waits until the coordinator holds every enrolment and returns the quotas in enrolment order.</summary>
    public async Task<IReadOnlyList<int>> QuotasAsync(string programmeId, IReadOnlyList<string> traineeIds, int target, CancellationToken ct)
    {
        JsonObject? progress = null;
        await WaitAsync("coordinator allocates quotas", async () =>
        {
            progress = await Api.GetProgressAsync(programmeId, null, ct);
            var trainees = progress.Array("trainees");
            var enrolled = trainees.Count(t => t.Str("status") == "TRAINEE_STATUS_ENROLLED");
            var sum = trainees.Sum(t => t.Int("quota"));
            var active = progress["summary"].Str("phase") == "PROGRAMME_PHASE_ACTIVE";
            return (enrolled == traineeIds.Count && sum == target && active,
                $"{enrolled} enrolled, quotas sum {sum}, phase {progress["summary"].Str("phase")}");
        }, ct);
        var byTrainee = progress!.Array("trainees").ToDictionary(t => t.Str("traineeId"), t => t.Int("quota"));
        return [.. traineeIds.Select(id => byTrainee.TryGetValue(id, out var quota)
            ? quota
            : throw new ScenarioFailure("coordinator allocates quotas", $"trainee {id} has no quota: {progress!.ToJsonString()}"))];
    }

    /// <summary>Plans one kit per trainee from the warehouse (topping up any shortage first) and dispatches them.</summary>
    public async Task KitsAsync(string programmeId, string productId, string warehouseId, IReadOnlyList<string> traineeIds, IReadOnlyList<int> quotas, CancellationToken ct)
    {
        var plan = await Api.PlanKitsAsync(programmeId, productId, warehouseId, traineeIds.Zip(quotas), ct);
        var planId = plan.Required("kitPlanId", "plan kits");
        var shortages = plan.Array("shortages");
        if (shortages.Count > 0)
        {
            Log.WriteLine($"    the warehouse is short for the plan: {new JsonArray([.. shortages.Select(s => s.DeepClone())]).ToJsonString()}; topping up");
            await Api.ReceiveStockAsync(warehouseId, $"SPB/{Suffix}/TOPUP/2020", $"LOT-{Suffix}-TOPUP",
                shortages.Select(s => (s.Str("materialId"), s.Long("shortfall"))), "Kekurangan bahan", ct);
        }
        Expect("plan kits", plan.Array("kits").Count == traineeIds.Count, $"expected {traineeIds.Count} kits: {plan.ToJsonString()}");
        var dispatched = await Api.DispatchKitPlanAsync(planId, ct);
        var kits = dispatched.Array("kits");
        Expect("dispatch kits", kits.Count == traineeIds.Count && kits.All(k => k.Str("status") == "KIT_STATUS_DISPATCHED" && k.Str("homeLocationId").Length > 0),
            $"every kit should be DISPATCHED to a home: {dispatched.ToJsonString()}");
    }

    public async Task<IReadOnlyList<(string Id, int Duration)>> LessonsAsync(string programmeId, IReadOnlyList<(string Title, string Step)> lessons, CancellationToken ct)
    {
        var result = new List<(string, int)>();
        for (var i = 0; i < lessons.Count; i++)
        {
            const int duration = 600;
            var lesson = await Api.AddLessonAsync(programmeId, i + 1, lessons[i].Title, duration, lessons[i].Step, ct);
            result.Add((lesson.Required("lessonId", $"add lesson {i + 1}"), duration));
        }
        return result;
    }

    /// <summary>Every trainee watches every lesson to the end.</summary>
    public async Task WatchAllAsync(string programmeId, IReadOnlyList<(string Id, int Duration)> lessons, IReadOnlyList<string> traineeIds, CancellationToken ct)
    {
        foreach (var trainee in traineeIds)
        {
            foreach (var (lessonId, duration) in lessons)
            {
                await Api.RecordLessonProgressAsync(lessonId, trainee, duration, 100, ct);
            }
        }
        var progress = await Api.GetProgrammeLessonProgressAsync(programmeId, ct);
        Expect("lesson progress", progress.Int("traineesCompletedAll") == traineeIds.Count && progress.Int("lessonCount") == lessons.Count,
            $"all {traineeIds.Count} trainees should have completed all {lessons.Count} lessons: {progress.ToJsonString()}");
    }

    /// <summary>A trainee who cannot follow a lesson asks for help; an instructor visits and logs it resolved.</summary>
    public async Task HomeVisitAsync(string programmeId, string traineeId, string lessonId, string step, string instructorId, CancellationToken ct)
    {
        var request = await Api.OpenAssistanceRequestAsync(programmeId, traineeId, lessonId, step,
            "Tidak bisa mengikuti video pada langkah ini; mohon dibimbing di rumah.", ct);
        var requestId = request.Required("assistanceRequestId", "ask for help");
        Expect("ask for help", request.Str("status") == "ASSISTANCE_STATUS_OPEN", $"a new request should be OPEN: {request.ToJsonString()}");
        // A visit may not be scheduled in the past, so it is today in the programme's time zone, replayed now.
        var visit = await Api.ScheduleHomeVisitAsync(requestId, instructorId, TodayInProgrammeZone(),
            "Desa Sungai Karias RT 03, Amuntai Tengah, Hulu Sungai Utara", ct);
        var visitId = visit.Required("homeVisitId", "schedule home visit");
        var logged = await Api.LogHomeVisitOutcomeAsync(visitId, "VISIT_OUTCOME_RESOLVED", "Dibimbing langsung; peserta sudah bisa melanjutkan.", ct);
        Expect("log home visit", logged.Str("outcome") == "VISIT_OUTCOME_RESOLVED", $"the visit should be logged RESOLVED: {logged.ToJsonString()}");
        JsonNode after = await Api.GetAssistanceRequestAsync(requestId, ct);
        Expect("log home visit", after.Str("status") == "ASSISTANCE_STATUS_RESOLVED", $"the assistance request should be RESOLVED: {after.ToJsonString()}");
        Log.WriteLine($"    home visit {visitId} resolved assistance request {requestId}");
    }

    /// <summary>Reports output; returns the report ids per trainee.</summary>
    public async Task<Dictionary<string, List<string>>> ReportOutputAsync(string programmeId, string productCode,
        IReadOnlyList<string> traineeIds, Func<int, int, int> unitsByTraineeAndDay, IReadOnlyList<DateOnly> days,
        Dictionary<string, List<string>>? into, CancellationToken ct)
    {
        var reports = into ?? traineeIds.ToDictionary(id => id, _ => new List<string>());
        for (var d = 0; d < days.Count; d++)
        {
            for (var t = 0; t < traineeIds.Count; t++)
            {
                var units = unitsByTraineeAndDay(t, d);
                if (units <= 0)
                {
                    continue;
                }
                var reporter = await ReporterAsync(traineeIds[t], ct);
                var report = await reporter.ReportOutputAsync(programmeId, traineeIds[t], productCode, days[d], units, ct);
                var status = report.Str("status");
                Expect($"report output {days[d]:yyyy-MM-dd}", status is "OUTPUT_REPORT_STATUS_PENDING" or "OUTPUT_REPORT_STATUS_RECORDED",
                    $"the report should be PENDING or RECORDED: {report.ToJsonString()}");
                reports[traineeIds[t]].Add(report.Required("reportId", "report output"));
            }
        }
        return reports;
    }

    /// <summary>
    /// Who reports a trainee's output: the trainee with their own token when <see cref="TraineeSignIn"/> is on (their
    /// account arrives at identity through participants' outbox: the first code is retried until it exists), else the operator.
    /// </summary>
    private async Task<SuiteApi> ReporterAsync(string traineeId, CancellationToken ct)
    {
        if (TraineeSignIn is not { } signIn || !_subjects.TryGetValue(traineeId, out var subject))
        {
            return Api;
        }
        SuiteApi? own = null;
        await WaitAsync($"trainee {subject} signs in with a one-time code", async () =>
        {
            own = await signIn.ApiForAsync(Api, subject, ct);
            return (true, "own token");
        }, ct);
        return own!;
    }

    /// <summary>Waits until production has consumed materials for every report (none pending, none refused).</summary>
    public Task WaitRecordedAsync(string programmeId, int reportedUnits, CancellationToken ct) =>
        WaitAsync("production records output", async () =>
        {
            var totals = await Api.GetProgrammeTotalsAsync(programmeId, ct);
            Expect("production records output", totals.Int("refusedUnits") == 0,
                $"production refused output (materials short?): {totals.ToJsonString()}");
            return (totals.Int("reportedUnits") == reportedUnits && totals.Int("pendingReports") == 0,
                $"reported {totals.Int("reportedUnits")}, pending reports {totals.Int("pendingReports")}");
        }, ct);

    /// <summary>Waits until the coordinator's summary satisfies <paramref name="condition"/>.</summary>
    public async Task<JsonObject> WaitProgressAsync(string step, string programmeId, DateOnly? asOfDay, Func<JsonNode, bool> condition, CancellationToken ct)
    {
        JsonObject? last = null;
        await WaitAsync(step, async () =>
        {
            last = await Api.GetProgressAsync(programmeId, asOfDay, ct);
            var s = last["summary"];
            return (condition(s!), $"produced {s.Int("produced")}, accepted {s.Int("accepted")}, awaiting inspection {s.Int("awaitingInspection")}, awaiting sign-off {s.Int("awaitingSignOff")}");
        }, ct);
        return last!;
    }

    /// <summary>Waits until distribution has received <paramref name="units"/> of the product, all available.</summary>
    public Task WaitAvailableAsync(string programmeId, string productCode, int units, CancellationToken ct) =>
        WaitAsync("distribution receives accepted goods", async () =>
        {
            var goods = await Api.ListFinishedGoodsAsync(programmeId, ct);
            var row = goods.Array("finishedGoods").FirstOrDefault(g => g.Str("productCode") == productCode);
            return (row.Int("availableUnits") == units && row.Int("receivedUnits") == units,
                $"received {row.Int("receivedUnits")}, available {row.Int("availableUnits")}");
        }, ct);

    /// <summary>Hands the goods over with a berita acara, fetches the document, and checks distribution's figures.</summary>
    public async Task<(string HandoverId, string DocumentNumber, string RecipientId, string RecipientName, int Bytes)> HandOverAsync(
        string programmeId, ProgrammeSpec spec, string productName, int units, string recipientKind, string recipientName, DateOnly day,
        CancellationToken ct)
    {
        var recipient = await Api.FindOrCreateRecipientAsync(recipientKind, recipientName, ProgrammeSpec.District, "Kepala Pelaksana", ct);
        var recipientId = recipient.Required("recipientId", "create recipient");
        var handover = await Api.CreateHandoverAsync(new JsonObject
        {
            ["programmeId"] = programmeId,
            ["productCode"] = spec.ProductCode,
            ["units"] = units,
            ["recipientId"] = recipientId,
            ["day"] = Date(day),
            ["place"] = "Kantor Disperindagkop-UKM HSU, Amuntai",
            ["giver"] = new JsonObject { ["name"] = "Kepala Dinas Disperindagkop-UKM HSU", ["position"] = "Kepala Dinas" },
            ["receiver"] = new JsonObject { ["name"] = $"Kepala Pelaksana {recipientName}", ["position"] = "Kepala Pelaksana" },
            ["note"] = "Untuk dibagikan kepada masyarakat.",
            ["programmeTitle"] = spec.Title,
            ["productName"] = productName,
        }, ct);
        var handoverId = handover.Required("handoverId", "hand over");
        var documentNumber = handover.Required("documentNumber", "hand over");
        Expect("hand over", handover.Int("units") == units && handover.Str("status") == "HANDOVER_STATUS_ISSUED",
            $"expected an ISSUED handover of {units}: {handover.ToJsonString()}");
        var (contentType, bytes) = await Api.GetHandoverDocumentAsync(handoverId, ct);
        Expect("fetch handover document", bytes.Length > 4 && bytes[0] == '%' && bytes[1] == 'P' && bytes[2] == 'D' && bytes[3] == 'F',
            $"the document should be a PDF, got {contentType}, {bytes.Length} bytes");
        var goods = await Api.ListFinishedGoodsAsync(programmeId, ct);
        var row = goods.Array("finishedGoods").FirstOrDefault(g => g.Str("productCode") == spec.ProductCode);
        Expect("hand over", row.Int("handedOverUnits") == units && row.Int("availableUnits") == 0,
            $"distribution should show {units} handed over and none available: {goods.ToJsonString()}");
        return (handoverId, documentNumber, recipientId, recipient.Str("name"), bytes.Length);
    }

    public static DateOnly TodayInProgrammeZone()
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(ProgrammeSpec.TimeZone, out var found)
            ? found
            : TimeZoneInfo.CreateCustomTimeZone("WITA", TimeSpan.FromHours(8), "WITA", "WITA");
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
    }
}
