namespace Bimtek.Audit;

/// <summary>The result of one audit: what was compared and every disagreement found.</summary>
public sealed record AuditResult(IReadOnlyList<string> Checked, IReadOnlyList<string> Problems)
{
    /// <summary>0 when every service agrees, 1 when something disagrees.</summary>
    public int ExitCode => Problems.Count == 0 ? 0 : 1;
}

/// <summary>Runs every invariant of <see cref="SuiteInvariants"/> over the programmes asked for (default: all).</summary>
public sealed class SuiteAuditor(AuditReader reader, TimeSpan stuckAfter)
{
    public async Task<AuditResult> RunAsync(IReadOnlyList<string> programmeIds, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var checkedItems = new List<string>();
        var problems = new List<string>();

        var outboxes = await reader.OutboxesAsync(ct);
        checkedItems.AddRange(outboxes.Select(o => $"outbox {o}"));
        problems.AddRange(SuiteInvariants.Outboxes(outboxes, stuckAfter));

        var programmes = programmeIds.Count > 0 ? programmeIds : await reader.ProgrammesAsync(ct);
        foreach (var programme in programmes)
        {
            var figures = await reader.ReadAsync(programme, ct);
            checkedItems.Add($"programme {programme}: {figures.ProductionReports.Count} reports " +
                $"({figures.ProductionReports.Where(r => r.Status == "recorded").Sum(r => r.Units)} units recorded), " +
                $"{figures.Consumptions.Count} consumptions, {figures.CoordinatorProduced.Values.Sum()} units produced in the quota grains");
            problems.AddRange(SuiteInvariants.Reports(figures, now, stuckAfter));
            if (reader.Reads("distribution"))
            {
                var goods = await reader.ReadGoodsAsync(programme, ct);
                checkedItems.Add($"programme {programme}: {goods.Accepted.Sum(a => a.Units)} units accepted in {goods.Accepted.Count} inspections, " +
                    $"{goods.Receipts.Sum(r => r.Units)} received in distribution ({goods.Receipts.Count} receipts), " +
                    $"{goods.Handovers.Where(h => h.Counts).Sum(h => h.Units)} handed over ({goods.Handovers.Count(h => h.Counts)} handovers not cancelled)");
                problems.AddRange(SuiteInvariants.Goods(goods, now, stuckAfter));
            }
            else
            {
                checkedItems.Add($"programme {programme}: accepted units vs finished goods vs handovers NOT checked (no --distribution connection)");
            }
        }
        return new AuditResult(checkedItems, problems);
    }
}
