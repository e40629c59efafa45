using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using static Bimtek.Scenarios.Rest.Json;

namespace Bimtek.Load.Setup;

/// <summary>
/// Sets up the load's world through the gateway's REST surface, with the request shapes of deploy/Scenarios:
/// programmes of the seed's mask product (June 2020, 30 programme days, so every day may be reported), an
/// instructor on each, three lessons, trainees registered and enrolled concurrently, activation, the
/// coordinator's quotas awaited, then one kit plan per programme topped up from the province and dispatched.
/// Quotas are large so the load never runs a home out of materials.
/// </summary>
public sealed class Seeder(HttpClient gateway, TextWriter log)
{
    public const string ProductCode = "MASK-SASIRANGAN-3PLY";
    public const int QuotaPerTrainee = 4000;
    private const int Parallelism = 16;
    private static readonly DateOnly _start = new(2020, 6, 1);
    private static readonly DateOnly _end = new(2020, 6, 30);

    private readonly SuiteApi _api = new(new RestClient(gateway, TextWriter.Null));
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    public async Task<World> SeedAsync(int programmes, int trainees, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var product = await _api.FindProductAsync(ProductCode, ct);
        var productId = product.Required("productId", "find product");
        var warehouseId = (await _api.FindLocationAsync("LOCATION_KIND_PROVINCIAL_WAREHOUSE", ct)).Required("locationId", "find warehouse");
        var instructor = await _api.RegisterStaffAsync("STAFF_KIND_INSTRUCTOR", $"Instruktur Beban {_suffix}", ProgrammeSpec.District, "Disperindagkop-UKM HSU", ct);
        var instructorId = instructor.Required("personId", "register instructor");
        var recipient = await _api.FindOrCreateRecipientAsync("RECIPIENT_KIND_DISASTER_MANAGEMENT_AGENCY", $"BPBD Uji Beban {_suffix}", ProgrammeSpec.District, "Kepala Pelaksana", ct);
        var recipientId = recipient.Required("recipientId", "create recipient");

        var sizes = Enumerable.Range(0, programmes).Select(i => trainees / programmes + (i < trainees % programmes ? 1 : 0)).ToList();
        var shells = new (string Id, string Code, List<string> Lessons)[programmes];
        await Parallel.ForEachAsync(Enumerable.Range(0, programmes), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            shells[i] = await CreateProgrammeAsync(i, sizes[i], instructorId, token);
        });
        log.WriteLine($"  {programmes} programmes created with staff and lessons ({watch.Elapsed.TotalSeconds:0.0} s)");

        // Registration and enrolment: every trainee of every programme, Parallelism at a time.
        var enrolled = shells.Select(_ => new List<(int Sequence, string Id)>()).ToArray();
        var work = Enumerable.Range(0, programmes).SelectMany(p => Enumerable.Range(0, sizes[p]).Select(t => (p, t))).ToList();
        var done = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (item, token) =>
        {
            var person = await _api.RegisterTraineeAsync(new JsonObject
            {
                ["name"] = $"Peserta {item.p + 1}-{item.t + 1} ({_suffix})",
                ["birthYear"] = 1980 + item.t % 20,
                ["village"] = "Sungai Karias",
                ["district"] = ProgrammeSpec.District,
                ["phone"] = "+62812" + (10_000_000 + item.p * 100_000 + item.t).ToString(CultureInfo.InvariantCulture),
            }, token);
            var personId = person.Required("personId", "register trainee");
            var enrolment = await _api.EnrolAsync(shells[item.p].Id, personId, token);
            lock (enrolled[item.p])
            {
                enrolled[item.p].Add((enrolment.Int("sequence"), personId));
            }
            if (Interlocked.Increment(ref done) % 500 == 0)
            {
                log.WriteLine($"  {done}/{work.Count} trainees registered and enrolled ({watch.Elapsed.TotalSeconds:0.0} s)");
            }
        });
        log.WriteLine($"  {work.Count} trainees registered and enrolled ({watch.Elapsed.TotalSeconds:0.0} s)");

        var result = new List<SeededProgramme>();
        for (var p = 0; p < programmes; p++)
        {
            var ids = enrolled[p].OrderBy(e => e.Sequence).Select(e => e.Id).ToList();
            await _api.ActivateProgrammeAsync(shells[p].Id, ct);
            result.Add(new SeededProgramme(shells[p].Id, shells[p].Code, _start, _end, QuotaPerTrainee, ids, shells[p].Lessons));
        }
        foreach (var programme in result)
        {
            await WaitCoordinatorAsync(programme, ct);
        }
        log.WriteLine($"  programmes active, coordinator holds every enrolment ({watch.Elapsed.TotalSeconds:0.0} s)");

        // Kits one programme at a time: a top-up received for one plan must not be taken by another's dispatch.
        foreach (var programme in result)
        {
            var steps = new Steps(_api, ScenarioOptions.Default);
            await steps.KitsAsync(programme.ProgrammeId, productId, warehouseId, programme.TraineeIds,
                [.. programme.TraineeIds.Select(_ => QuotaPerTrainee)], ct);
        }
        log.WriteLine($"  kits dispatched to every home ({watch.Elapsed.TotalSeconds:0.0} s)");
        return new World(ProductCode, productId, instructorId, recipientId, result);
    }

    private async Task<(string Id, string Code, List<string> Lessons)> CreateProgrammeAsync(int index, int size, string instructorId, CancellationToken ct)
    {
        var code = $"BEBAN-{_suffix}-{index + 1:000}";
        var programme = await _api.CreateProgrammeAsync(new JsonObject
        {
            ["code"] = code,
            ["title"] = $"Uji beban masker {index + 1}",
            ["productCode"] = ProductCode,
            ["organisers"] = Strings(["Disperindagkop-UKM HSU"]),
            ["district"] = ProgrammeSpec.District,
            ["province"] = ProgrammeSpec.Province,
            ["mode"] = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            ["startDay"] = Date(_start),
            ["endDay"] = Date(_end),
            ["timeZone"] = ProgrammeSpec.TimeZone,
            ["capacity"] = size,
            ["targetQuantity"] = size * QuotaPerTrainee,
        }, ct);
        var id = programme.Required("programmeId", "create programme");
        await _api.AssignStaffAsync(id, instructorId, "STAFF_ROLE_INSTRUCTOR", ct);
        var lessons = new List<string>();
        for (var position = 1; position <= 3; position++)
        {
            var lesson = await _api.AddLessonAsync(id, position, $"Langkah {position}", 600, $"step {position}", ct);
            lessons.Add(lesson.Required("lessonId", "add lesson"));
        }
        return (id, code, lessons);
    }

    private async Task WaitCoordinatorAsync(SeededProgramme programme, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var state = "";
        while (watch.Elapsed < TimeSpan.FromMinutes(5))
        {
            var progress = await _api.Rest.GetAsync("read quota progress", $"/api/v1/quotas/programmes/{programme.ProgrammeId}/progress?pageSize=1", ct);
            var summary = progress["summary"];
            state = $"{summary.Int("traineeCount")} trainees, phase {summary.Str("phase")}";
            if (summary.Int("traineeCount") == programme.TraineeIds.Count && summary.Str("phase") == "PROGRAMME_PHASE_ACTIVE")
            {
                return;
            }
            await Task.Delay(300, ct);
        }
        throw new ScenarioFailure("coordinator holds the enrolments", $"{programme.Code}: not within 5 min; last seen {state}");
    }
}
