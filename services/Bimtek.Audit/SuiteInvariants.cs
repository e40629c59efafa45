namespace Bimtek.Audit;

/// <summary>
/// The suite's cross-service invariants as plain functions of what was read: each returns every violation
/// found, as a sentence an operator can act on (empty = the services agree).
/// </summary>
public static class SuiteInvariants
{
    /// <summary>
    /// Recorded reports vs consumptions vs quota grain counts, for one programme:
    /// <list type="bullet">
    /// <item>a RECORDED report has exactly one consumption (one movement, its units, its trainee, and per
    /// material its BOM × units — <paramref name="bomPerUnit"/> when given, else the BOM materials consumed it under);</item>
    /// <item>a REJECTED report consumed nothing; a PENDING one older than <paramref name="stuckAfter"/> is stuck;</item>
    /// <item>materials consumed nothing for a report production does not hold;</item>
    /// <item>per trainee, the coordinator's quota grain counts as produced exactly the units production RECORDED.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> Reports(ProgrammeFigures figures, DateTimeOffset now, TimeSpan stuckAfter, IReadOnlyDictionary<string, long>? bomPerUnit = null)
    {
        var problems = new List<string>();
        var consumptions = figures.Consumptions.ToDictionary(c => c.ReportId);
        var where = $"programme {figures.ProgrammeId}";
        foreach (var report in figures.ProductionReports)
        {
            var consumed = consumptions.GetValueOrDefault(report.ReportId);
            switch (report.Status)
            {
                case "recorded":
                    if (consumed is null)
                    {
                        problems.Add($"{where}: report {report.ReportId} is RECORDED in production but materials has no consumption for it");
                        break;
                    }
                    var expected = bomPerUnit?.ToDictionary(b => b.Key, b => b.Value * report.Units) ?? consumed.ExpectedByMaterial;
                    var materials = expected.Keys.Concat(consumed.ConsumedByMaterial.Keys).Distinct();
                    var wrong = materials.Any(m => consumed.ConsumedByMaterial.GetValueOrDefault(m) != expected.GetValueOrDefault(m));
                    if (consumed.Movements != 1 || consumed.Units != report.Units || wrong || consumed.TraineeId != report.TraineeId)
                    {
                        problems.Add($"{where}: report {report.ReportId} ({report.Units} units of {report.TraineeId}) is consumed wrongly: " +
                            $"{consumed.Movements} movements, {consumed.Units} units of {consumed.TraineeId}, materials {Describe(consumed.ConsumedByMaterial)}; " +
                            $"expected {Describe(expected)}");
                    }
                    break;
                case "rejected":
                    if (consumed is not null)
                    {
                        problems.Add($"{where}: report {report.ReportId} is REJECTED but materials consumed for it");
                    }
                    break;
                default:
                    if (now - report.ReportedAt > stuckAfter)
                    {
                        problems.Add($"{where}: report {report.ReportId} is still {report.Status} in production {(now - report.ReportedAt).TotalMinutes:0} min after it was reported (stuck)");
                    }
                    break;
            }
        }

        var productionIds = figures.ProductionReports.Select(r => r.ReportId).ToHashSet();
        foreach (var orphan in figures.Consumptions.Where(c => !productionIds.Contains(c.ReportId)))
        {
            problems.Add($"{where}: materials consumed for report {orphan.ReportId} ({orphan.Units} units) that production does not hold");
        }

        var trainees = figures.ProductionReports.Select(r => r.TraineeId).Concat(figures.CoordinatorProduced.Keys).Distinct();
        foreach (var trainee in trainees)
        {
            var recorded = figures.ProductionReports.Where(r => r.TraineeId == trainee && r.Status == "recorded").Sum(r => r.Units);
            var produced = figures.CoordinatorProduced.GetValueOrDefault(trainee);
            if (recorded != produced)
            {
                problems.Add($"{where}: trainee {trainee}: production recorded {recorded} units but the coordinator's quota grain counts {produced} produced " +
                    (produced > recorded ? "(DOUBLE-COUNTED)" : "(LOST)"));
            }
        }
        return problems;
    }

    /// <summary>Parked outbox rows (never delivered without an operator) and pending rows older than <paramref name="stuckAfter"/>.</summary>
    public static IReadOnlyList<string> Outboxes(IEnumerable<OutboxCounts> outboxes, TimeSpan stuckAfter)
    {
        var problems = new List<string>();
        foreach (var outbox in outboxes)
        {
            if (outbox.Parked > 0)
            {
                problems.Add($"{outbox.Service}: {outbox.Parked} outbox rows PARKED (need an operator: see last_error in outbox_messages)");
            }
            if (outbox.Pending > 0 && outbox.OldestPending > stuckAfter)
            {
                problems.Add($"{outbox.Service}: {outbox.Pending} outbox rows pending, the oldest for {outbox.OldestPending.TotalMinutes:0} min (stuck)");
            }
        }
        return problems;
    }

    private static string Describe(IReadOnlyDictionary<string, long> byMaterial) =>
        byMaterial.Count == 0 ? "none" : string.Join(", ", byMaterial.OrderBy(m => m.Key).Select(m => $"{m.Key}={m.Value}"));
}
