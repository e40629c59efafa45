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

    /// <summary>
    /// Accepted units vs finished goods vs handovers, for one programme (the seed's flow: an inspection accepts units in
    /// production → production's outbox hands them to distribution, one goods receipt per inspection → distribution's
    /// finished goods count them → handovers take from them):
    /// <list type="bullet">
    /// <item>every inspection that accepted units has exactly one receipt in distribution, of those units and that product
    /// (none yet is in flight until <paramref name="stuckAfter"/> has passed since the acceptance; then LOST);</item>
    /// <item>distribution holds no receipt for an inspection production does not hold as accepting units;</item>
    /// <item>per product, the finished goods' received units are the receipts' sum, and their handed-over units the sum
    /// of the handovers not cancelled, never more than received;</item>
    /// <item>per recipient and product, what the recipient holds as received is the sum of its handovers not cancelled.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> Goods(GoodsFigures figures, DateTimeOffset now, TimeSpan stuckAfter)
    {
        var problems = new List<string>();
        var where = $"programme {figures.ProgrammeId}";
        var receipts = figures.Receipts.ToLookup(r => r.InspectionId);
        foreach (var inspection in figures.Accepted)
        {
            var received = receipts[inspection.InspectionId].ToList();
            if (received.Count == 0)
            {
                if (now - inspection.AcceptedAt > stuckAfter)
                {
                    problems.Add($"{where}: inspection {inspection.InspectionId} accepted {inspection.Units} units of {inspection.ProductCode} in production " +
                        $"{(now - inspection.AcceptedAt).TotalMinutes:0} min ago but distribution received none of them (LOST: look for production's outbox row to distribution)");
                }
                continue;
            }
            var units = received.Sum(r => r.Units);
            if (received.Count != 1 || units != inspection.Units || received.Any(r => r.ProductCode != inspection.ProductCode))
            {
                problems.Add($"{where}: inspection {inspection.InspectionId} accepted {inspection.Units} units of {inspection.ProductCode} in production but distribution " +
                    $"received them {received.Count} times, {units} units ({string.Join(", ", received.Select(r => $"receipt {r.ReceiptId}: {r.Units} of {r.ProductCode}"))})" +
                    (units > inspection.Units ? " (DOUBLE-COUNTED)" : ""));
            }
        }

        var accepting = figures.Accepted.Select(a => a.InspectionId).ToHashSet();
        foreach (var stranger in figures.Receipts.Where(r => !accepting.Contains(r.InspectionId)))
        {
            problems.Add($"{where}: distribution received {stranger.Units} units of {stranger.ProductCode} (receipt {stranger.ReceiptId}) " +
                $"for inspection {stranger.InspectionId}, which accepted no units in production");
        }

        var products = figures.FinishedGoods.Select(g => g.ProductCode).Concat(figures.Receipts.Select(r => r.ProductCode))
            .Concat(figures.Handovers.Select(h => h.ProductCode)).Distinct().Order(StringComparer.Ordinal);
        foreach (var product in products)
        {
            var goods = figures.FinishedGoods.FirstOrDefault(g => g.ProductCode == product) ?? new FinishedGoods(product, 0, 0);
            var receivedSum = figures.Receipts.Where(r => r.ProductCode == product).Sum(r => r.Units);
            if (goods.ReceivedUnits != receivedSum)
            {
                problems.Add($"{where}, {product}: distribution's finished goods count {goods.ReceivedUnits} units received but its goods receipts sum to {receivedSum}");
            }
            var handovers = figures.Handovers.Where(h => h.ProductCode == product && h.Counts).ToList();
            var handedOver = handovers.Sum(h => h.Units);
            if (goods.HandedOverUnits != handedOver)
            {
                problems.Add($"{where}, {product}: distribution's finished goods count {goods.HandedOverUnits} units handed over but its handovers not cancelled " +
                    $"sum to {handedOver}: {DescribeHandovers(handovers)}");
            }
            if (handedOver > goods.ReceivedUnits)
            {
                problems.Add($"{where}, {product}: {handedOver} units handed over, more than the {goods.ReceivedUnits} units distribution received");
            }
        }

        var holdings = figures.Holdings.Select(h => (h.RecipientId, h.ProductCode))
            .Concat(figures.Handovers.Where(h => h.Counts).Select(h => (h.RecipientId, h.ProductCode))).Distinct();
        foreach (var (recipient, product) in holdings)
        {
            var held = figures.Holdings.FirstOrDefault(h => h.RecipientId == recipient && h.ProductCode == product)?.ReceivedUnits ?? 0;
            var handovers = figures.Handovers.Where(h => h.RecipientId == recipient && h.ProductCode == product && h.Counts).ToList();
            if (held != handovers.Sum(h => h.Units))
            {
                problems.Add($"{where}, {product}: recipient {recipient} holds {held} units received but its handovers not cancelled sum to " +
                    $"{handovers.Sum(h => h.Units)}: {DescribeHandovers(handovers)}");
            }
        }
        return problems;
    }

    private static string DescribeHandovers(IReadOnlyList<HandoverUnits> handovers) =>
        handovers.Count == 0 ? "none"
        : handovers.Count > 20 ? $"{handovers.Count} handovers"
        : string.Join(", ", handovers.Select(h => $"{h.DocumentNumber} ({h.HandoverId}) {h.Units}"));

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
