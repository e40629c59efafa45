using Bimtek.Scenarios.Rest;

namespace Bimtek.Scenarios.Scenarios;

/// <summary>
/// Programme 1 of the seed: 3-layer sasirangan cloth masks, 18–20 May 2020, 5 teenage trainees working at home,
/// materials from the provincial office, 500 masks handed over to BPBD.
/// </summary>
public sealed class Mask2020(Steps steps)
{
    public const string Name = "mask-2020";
    public const int Trainees = 5;
    public const int Target = 500;
    public const string ProductCode = "MASK-SASIRANGAN-3PLY";
    public const string RecipientName = "BPBD Kabupaten Hulu Sungai Utara";

    public static ProgrammeSpec Spec { get; } = new(
        "BIMTEK-MASKER-2020",
        "Bimtek pembuatan masker kain 3 lapis berbasis sasirangan",
        ProductCode,
        ["Disperindagkop-UKM HSU", "Dinas Perindustrian Provinsi Kalsel"],
        new DateOnly(2020, 5, 18),
        new DateOnly(2020, 5, 20),
        Capacity: 5,
        Target,
        [
            new("Ahmad Rizky", 2004, "Sungai Karias", "Hj. Siti Aminah"),
            new("Nur Aulia", 2005, "Paliwara", "Rahmat Hidayat"),
            new("Muhammad Fauzan", 2003, "Murung Sari", "Hasanah"),
            new("Siti Rahmah", 2004, "Kebun Sari", "Abdul Gani"),
            new("Dinda Lestari", 2006, "Antasari", "Masliani"),
        ]);

    public async Task<ScenarioSummary> RunAsync(CancellationToken ct)
    {
        var spec = Spec;
        steps.Banner("Materials arrive from the province");
        var (product, bom) = await steps.ProductAsync(ProductCode, ct);
        var productId = product.Required("productId", "find product");
        var planned = Steps.EvenQuotas(Target, Trainees);

        steps.Banner("The mask programme is created, staffed and given its video lessons");
        var programmeId = await steps.CreateProgrammeAsync(spec, ct);
        var warehouseId = await steps.ReceiveFromProvinceAsync(bom, planned, programmeId, ct);
        var instructorId = await steps.StaffAsync(programmeId, "STAFF_KIND_INSTRUCTOR", "STAFF_ROLE_INSTRUCTOR",
            "Instruktur Jahit Hj. Rusmilawati", "Disperindagkop-UKM HSU", ct);
        var lessons = await steps.LessonsAsync(programmeId,
        [
            ("Memotong pola kain sasirangan", "cutting"),
            ("Menjahit tiga lapis", "sewing layers"),
            ("Memasang tali telinga", "ear loops"),
        ], ct);

        steps.Banner("Five teenage trainees register with their guardians' consent and enrol; the programme starts");
        var traineeIds = await steps.EnrolTraineesAsync(programmeId, spec, ct);
        await steps.ActivateAsync(programmeId, Trainees, ct);
        var quotas = await steps.QuotasAsync(programmeId, traineeIds, Target, ct);
        Steps.Expect("coordinator allocates quotas", quotas.SequenceEqual(planned),
            $"the seed's quotas are {string.Join(", ", planned)} but the coordinator says {string.Join(", ", quotas)}");

        steps.Banner("Kits are planned from the quotas and sent to the trainees' homes");
        await steps.KitsAsync(programmeId, productId, warehouseId, traineeIds, quotas, ct);

        steps.Banner("Trainees follow the videos; one asks for help and gets a home visit");
        await steps.HomeVisitAsync(programmeId, traineeIds[2], lessons[1].Id, "sewing layers", instructorId, ct);
        await steps.WatchAllAsync(programmeId, lessons, traineeIds, ct);

        steps.Banner("Output is reported day by day (30 % / 35 % / 35 % of each quota)");
        var days = spec.Days;
        await steps.ReportOutputAsync(programmeId, ProductCode, traineeIds,
            (t, d) => DailyUnits(quotas[t], d), days, null, ct);
        await steps.WaitRecordedAsync(programmeId, Target, ct);

        steps.Banner("The instructor inspects and accepts every mask");
        for (var t = 0; t < traineeIds.Count; t++)
        {
            for (var d = 0; d < days.Count; d++)
            {
                var units = DailyUnits(quotas[t], d);
                var inspection = await steps.Api.InspectAsync(programmeId, traineeIds[t], days[d], units, instructorId, "Kualitas cukup baik", ct);
                Steps.Expect("inspect output", inspection.Int("acceptedUnits") == units && inspection.Str("status") == "INSPECTION_STATUS_COMPLETED",
                    $"expected a COMPLETED inspection accepting {units}: {inspection.ToJsonString()}");
            }
        }
        await steps.WaitProgressAsync("coordinator counts accepted masks", programmeId, null, s => s.Int("accepted") == Target, ct);
        await steps.WaitAvailableAsync(programmeId, ProductCode, Target, ct);

        steps.Banner("500 masks are handed over to BPBD for the public");
        var handover = await steps.HandOverAsync(programmeId, spec, product.Str("name"), Target,
            "RECIPIENT_KIND_DISASTER_MANAGEMENT_AGENCY", RecipientName, new DateOnly(2020, 5, 28), ct);

        var programme = await steps.Api.GetProgrammeAsync(programmeId, ct);
        var summary = new ScenarioSummary(Name, programmeId, programme.Str("code"), ProductCode, productId,
            programme.Int("enrolledCount"), traineeIds, quotas, Target, Target, handover.RecipientId, handover.RecipientName,
            handover.HandoverId, handover.DocumentNumber, handover.Bytes);
        Steps.Expect("summary", summary.Trainees == Trainees && summary.RecipientName.StartsWith("BPBD", StringComparison.Ordinal),
            $"the seed says 5 trainees and 500 masks to BPBD; the suite says {summary.Trainees} trainees, recipient {summary.RecipientName}");
        return summary;
    }

    /// <summary>30 % of the quota on day 1, the rest split over days 2 and 3 (100 → 30, 35, 35).</summary>
    public static int DailyUnits(int quota, int day)
    {
        var first = quota * 30 / 100;
        var second = (quota - first) / 2;
        return day switch { 0 => first, 1 => second, _ => quota - first - second };
    }
}
