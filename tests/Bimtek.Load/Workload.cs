using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Bimtek.Load.Measurement;
using Bimtek.Load.Setup;
using Bimtek.Scenarios.Scenarios;
using static Bimtek.Scenarios.Rest.Json;

namespace Bimtek.Load;

/// <summary>
/// The realistic mix over the gateway's REST surface: output reports (most), inspections of reported days,
/// lesson progress, progress reads and occasional handovers of accepted goods. Every request carries a fresh
/// request_id. Acknowledged reports (HTTP 200, PENDING or RECORDED) are kept for the acknowledgement file.
/// </summary>
public sealed class Workload(HttpClient gateway, World world)
{
    public const string Report = "output report";
    public const string Inspection = "inspection";
    public const string LessonProgress = "lesson progress";
    public const string ProgressRead = "progress read";
    public const string Handover = "handover";

    private readonly (SeededProgramme Programme, string TraineeId)[] _trainees = [.. world.Trainees];
    private readonly ConcurrentQueue<Acknowledged> _acknowledged = new();
    private readonly ConcurrentQueue<(SeededProgramme Programme, string TraineeId, DateOnly Day, int Units)> _toInspect = new();
    private readonly ConcurrentDictionary<string, long> _reportedUnits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _acceptedUnits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _handedOverUnits = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Acknowledged> AcknowledgedReports => _acknowledged;

    /// <summary>Units of acknowledged reports per programme (what the coordinator's produced should reach).</summary>
    public long ReportedUnits(string programmeId) => _reportedUnits.GetValueOrDefault(programmeId);

    /// <summary>The mix: 60 % reports, 10 % inspections, 15 % lesson progress, 13 % progress reads, 2 % handovers.</summary>
    public Task MixAsync(Recorder recorder, long scheduled, CancellationToken ct)
    {
        var roll = Random.Shared.Next(100);
        return roll switch
        {
            < 60 => ReportAsync(recorder, scheduled, null, ct),
            < 70 => InspectAsync(recorder, scheduled, ct),
            < 85 => LessonProgressAsync(recorder, scheduled, ct),
            < 98 => ProgressReadAsync(recorder, scheduled, ct),
            _ => HandoverAsync(recorder, scheduled, ct),
        };
    }

    /// <summary>One output report of 1–3 units for a random trainee and programme day (or the given trainee).</summary>
    public async Task ReportAsync(Recorder recorder, long scheduled, (SeededProgramme Programme, string TraineeId)? only, CancellationToken ct)
    {
        var (programme, traineeId) = only ?? _trainees[Random.Shared.Next(_trainees.Length)];
        var day = programme.Days[Random.Shared.Next(programme.Days.Count)];
        var units = Random.Shared.Next(1, 4);
        var requestId = Guid.NewGuid().ToString();
        var answer = await recorder.TimeAsync(Report, scheduled, () => gateway.PostJsonAsync("/api/v1/output-reports", new JsonObject
        {
            ["requestId"] = requestId,
            ["programmeId"] = programme.ProgrammeId,
            ["traineeId"] = traineeId,
            ["productCode"] = world.ProductCode,
            ["day"] = Date(day),
            ["units"] = units,
        }, ct));
        if (answer is null)
        {
            return;
        }
        var status = answer.Str("status");
        _acknowledged.Enqueue(new Acknowledged(answer.Str("reportId"), requestId, programme.ProgrammeId, traineeId, day, units, status, DateTimeOffset.UtcNow));
        _reportedUnits.AddOrUpdate(programme.ProgrammeId, units, (_, v) => v + units);
        if (status == "OUTPUT_REPORT_STATUS_RECORDED")
        {
            _toInspect.Enqueue((programme, traineeId, day, units));
        }
    }

    /// <summary>The instructor accepts the units of one acknowledged report's trainee-day (a read when there is nothing to inspect).</summary>
    public async Task InspectAsync(Recorder recorder, long scheduled, CancellationToken ct)
    {
        if (!_toInspect.TryDequeue(out var item))
        {
            await ProgressReadAsync(recorder, scheduled, ct);
            return;
        }
        var answer = await recorder.TimeAsync(Inspection, scheduled, () => gateway.PostJsonAsync("/api/v1/inspections", new JsonObject
        {
            ["requestId"] = Guid.NewGuid().ToString(),
            ["programmeId"] = item.Programme.ProgrammeId,
            ["traineeId"] = item.TraineeId,
            ["day"] = Date(item.Day),
            ["acceptedUnits"] = item.Units,
            ["inspectorId"] = world.InstructorId,
            ["note"] = "Uji beban",
        }, ct));
        if (answer is not null)
        {
            _acceptedUnits.AddOrUpdate(item.Programme.ProgrammeId, item.Units, (_, v) => v + item.Units);
        }
    }

    public Task LessonProgressAsync(Recorder recorder, long scheduled, CancellationToken ct)
    {
        var (programme, traineeId) = _trainees[Random.Shared.Next(_trainees.Length)];
        var lessonId = programme.LessonIds[Random.Shared.Next(programme.LessonIds.Count)];
        var percent = Random.Shared.Next(1, 101);
        return recorder.TimeAsync(LessonProgress, scheduled, () => gateway.PostJsonAsync($"/api/v1/lessons/{lessonId}/progress", new JsonObject
        {
            ["requestId"] = Guid.NewGuid().ToString(),
            ["traineeId"] = traineeId,
            ["furthestPositionSeconds"] = percent * 6,
            ["percent"] = percent,
            ["reportedAt"] = Timestamp(DateTimeOffset.UtcNow.AddSeconds(-1)),
        }, ct));
    }

    /// <summary>A dashboard read: the coordinator's progress of a programme (first page of trainees).</summary>
    public Task ProgressReadAsync(Recorder recorder, long scheduled, CancellationToken ct)
    {
        var programme = world.Programmes[Random.Shared.Next(world.Programmes.Count)];
        return recorder.TimeAsync(ProgressRead, scheduled, () =>
            gateway.GetJsonAsync($"/api/v1/quotas/programmes/{programme.ProgrammeId}/progress?pageSize=20", ct));
    }

    /// <summary>Hands over a few accepted units, only from a programme with a margin of accepted goods not yet handed over.</summary>
    public async Task HandoverAsync(Recorder recorder, long scheduled, CancellationToken ct)
    {
        var programme = world.Programmes[Random.Shared.Next(world.Programmes.Count)];
        const int units = 2;
        var accepted = _acceptedUnits.GetValueOrDefault(programme.ProgrammeId);
        var handed = _handedOverUnits.AddOrUpdate(programme.ProgrammeId, units, (_, v) => v + units);
        // Accepted goods reach distribution through production's outbox: keep a margin for those in flight.
        if (handed + 30 > accepted)
        {
            _handedOverUnits.AddOrUpdate(programme.ProgrammeId, 0, (_, v) => v - units);
            await ProgressReadAsync(recorder, scheduled, ct);
            return;
        }
        await recorder.TimeAsync(Handover, scheduled, () => gateway.PostJsonAsync("/api/v1/handovers", new JsonObject
        {
            ["requestId"] = Guid.NewGuid().ToString(),
            ["programmeId"] = programme.ProgrammeId,
            ["productCode"] = world.ProductCode,
            ["units"] = units,
            ["recipientId"] = world.RecipientId,
            ["day"] = Date(Steps.TodayInProgrammeZone()),
            ["place"] = "Kantor Disperindagkop-UKM HSU, Amuntai",
            ["giver"] = new JsonObject { ["name"] = "Kepala Dinas Disperindagkop-UKM HSU", ["position"] = "Kepala Dinas" },
            ["receiver"] = new JsonObject { ["name"] = "Kepala Pelaksana BPBD", ["position"] = "Kepala Pelaksana" },
            ["note"] = "Uji beban",
            ["programmeTitle"] = "Uji beban masker",
            ["productName"] = "Masker kain 3 lapis sasirangan",
        }, ct));
    }

    /// <summary>Sum over programmes of the coordinator's produced units (what B2 waits for).</summary>
    public async Task<long> CoordinatorProducedAsync(CancellationToken ct)
    {
        long total = 0;
        foreach (var programme in world.Programmes)
        {
            var progress = await gateway.GetJsonAsync($"/api/v1/quotas/programmes/{programme.ProgrammeId}/progress?pageSize=1", ct);
            total += progress["summary"].Long("produced");
        }
        return total;
    }

    /// <summary>Waits until the coordinator's produced units reach <paramref name="expected"/>; returns how long it took.</summary>
    public async Task<(TimeSpan Waited, long Produced)> WaitCoordinatorAsync(long expected, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        long produced = 0;
        while (watch.Elapsed < timeout)
        {
            try
            {
                produced = await CoordinatorProducedAsync(ct);
            }
            catch (Exception exception) when (Errors.Classify(exception) is not null)
            {
                // Overloaded right after a phase: try again.
            }
            if (produced >= expected)
            {
                return (watch.Elapsed, produced);
            }
            await Task.Delay(100, ct);
        }
        return (watch.Elapsed, produced);
    }

    public long TotalReportedUnits => world.Programmes.Sum(p => ReportedUnits(p.ProgrammeId));

    /// <summary>Writes one line per acknowledged report (tab-separated, with a header).</summary>
    public async Task WriteAcknowledgedAsync(string path)
    {
        var text = new StringBuilder("report_id\trequest_id\tprogramme_id\ttrainee_id\tday\tunits\tstatus\tacknowledged_at\n");
        foreach (var a in _acknowledged)
        {
            text.Append(CultureInfo.InvariantCulture, $"{a.ReportId}\t{a.RequestId}\t{a.ProgrammeId}\t{a.TraineeId}\t{a.Day:yyyy-MM-dd}\t{a.Units}\t{a.Status}\t{a.At:O}\n");
        }
        await File.WriteAllTextAsync(path, text.ToString());
    }
}

/// <summary>An output report the suite acknowledged.</summary>
public sealed record Acknowledged(string ReportId, string RequestId, string ProgrammeId, string TraineeId, DateOnly Day, int Units, string Status, DateTimeOffset At);
