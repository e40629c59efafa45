using System.Diagnostics;
using System.Text;
using Bimtek.Audit;
using Bimtek.Suite;
using Npgsql;

namespace Bimtek.Faults.Tests;

/// <summary>
/// Reads the suite's state directly: production's and materials' tables and every service's outbox through
/// Npgsql (the connection strings the suite created), and the coordinator's quota grains through the gateway's
/// REST surface (GET progress), which is the grains' own answer.
/// </summary>
public sealed class SuiteAudit(SuiteProcesses suite) : IDisposable
{
    private readonly HttpClient _gateway = suite.CreateGatewayClient();

    /// <summary>The operators' audit reader (services/Bimtek.Audit) on the suite's databases and gateway.</summary>
    private AuditReader Reader => new(suite.ConnectionStrings, _gateway);

    public Task<IReadOnlyList<OutboxCounts>> OutboxesAsync(CancellationToken ct) => Reader.OutboxesAsync(ct);

    /// <summary>Production's PENDING reports (all programmes): reports stored but not yet consumed and recorded or refused.</summary>
    public Task<long> PendingReportsAsync(CancellationToken ct) => Reader.PendingReportsAsync(ct);

    public void Dispose() => _gateway.Dispose();

    /// <summary>
    /// Waits until nothing is in flight: every outbox has no pending row and production no PENDING report.
    /// A parked row fails at once (it will never be delivered). Returns the final outbox counts and the wait.
    /// </summary>
    public async Task<(IReadOnlyList<OutboxCounts> Outboxes, TimeSpan Waited)> WaitDrainedAsync(TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var state = "";
        while (true)
        {
            try
            {
                var outboxes = await OutboxesAsync(ct);
                var pendingReports = await PendingReportsAsync(ct);
                var parked = outboxes.Where(o => o.Parked > 0).ToList();
                if (parked.Count > 0)
                {
                    throw new Xunit.Sdk.XunitException($"Outbox rows parked (stuck for good): {string.Join("; ", parked)}");
                }
                state = $"{string.Join("; ", outboxes)}; production pending reports {pendingReports}";
                if (outboxes.All(o => o.Pending == 0) && pendingReports == 0)
                {
                    return (outboxes, watch.Elapsed);
                }
            }
            catch (NpgsqlException exception)
            {
                state = "database: " + exception.Message;
            }
            if (watch.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"Not drained within {timeout.TotalSeconds:0} s: {state}{Environment.NewLine}{suite.DescribeProcesses()}");
            }
            await Task.Delay(500, ct);
        }
    }

    public Task<ProgrammeFigures> ReadAsync(string programmeId, CancellationToken ct) => Reader.ReadAsync(programmeId, ct);

    /// <summary>
    /// Checks the promise "an acknowledged report is counted exactly once everywhere; nothing is half-applied"
    /// and returns every violation (empty = none). The rule, per report:
    /// <list type="bullet">
    /// <item>Acknowledged (the client got a 2xx): production has exactly that report id for the request id,
    /// RECORDED with the client's units; materials consumed for it exactly once (one consumption_reports row
    /// with those units, one consumption movement, BOM per unit x units of every material); the coordinator's
    /// per-trainee <c>produced</c> includes it once (checked as a sum per trainee below).</item>
    /// <item>Never acknowledged (the client gave up: unknown outcome): allowed in exactly two states — absent
    /// everywhere (production never stored it), or complete everywhere exactly like an acknowledged one
    /// (production stored it and finished it after the client stopped asking: its reconciler or a late retry).
    /// A REJECTED report must have consumed nothing. Anything in between (RECORDED without consumption,
    /// consumption without a RECORDED report, still PENDING) is a half-applied report.</item>
    /// <item>Materials: no consumption for a report id production does not hold as RECORDED.</item>
    /// <item>Coordinator: for every trainee, produced = sum of units of production's RECORDED reports
    /// (the grains apply each report's outbox message once, so a lost or doubled delivery shows here).</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<SubmittedReport> submitted, ProgrammeFigures figures, IReadOnlyDictionary<string, long> bomPerUnit)
    {
        // The server-side invariants, exactly as the operators' audit command checks them (after the drain nothing
        // may be PENDING any more, so any PENDING report counts as stuck).
        var problems = new List<string>(SuiteInvariants.Reports(figures, DateTimeOffset.UtcNow, TimeSpan.MinValue, bomPerUnit));
        var byRequest = figures.ProductionReports.GroupBy(r => r.RequestId).ToDictionary(g => g.Key, g => g.ToList());

        foreach (var sent in submitted)
        {
            var rows = byRequest.GetValueOrDefault(sent.RequestId) ?? [];
            if (rows.Count > 1)
            {
                problems.Add($"request {sent.RequestId} has {rows.Count} reports in production");
                continue;
            }
            var row = rows.SingleOrDefault();
            switch (sent.Outcome)
            {
                case ReportOutcome.Acknowledged:
                    if (row is null)
                    {
                        problems.Add($"acknowledged request {sent.RequestId} (report {sent.ReportId}) is missing in production (LOST)");
                    }
                    else if (row.ReportId != sent.ReportId || row.Status != "recorded" || row.Units != sent.Units || row.TraineeId != sent.TraineeId)
                    {
                        problems.Add($"acknowledged request {sent.RequestId}: the client saw report {sent.ReportId} ({sent.Units} units of {sent.TraineeId}); " +
                            $"production holds {row.ReportId} {row.Status} ({row.Units} units of {row.TraineeId})");
                    }
                    break;
                case ReportOutcome.Refused:
                    if (row is not null && row.Status == "recorded")
                    {
                        problems.Add($"request {sent.RequestId} was refused to the client ({sent.LastError}) but production RECORDED it");
                    }
                    break;
                case ReportOutcome.NeverAcknowledged:
                    // Absent, or present and (checked above per report) complete everywhere: both allowed.
                    break;
                default:
                    problems.Add($"request {sent.RequestId} never finished on the client");
                    break;
            }
        }
        var known = submitted.Select(s => s.RequestId).ToHashSet();
        foreach (var stranger in figures.ProductionReports.Where(r => !known.Contains(r.RequestId)))
        {
            problems.Add($"production holds report {stranger.ReportId} for request {stranger.RequestId} that no client sent");
        }

        return problems;
    }

    /// <summary>The counts to print for one fault.</summary>
    public static string Describe(IReadOnlyList<SubmittedReport> submitted, ProgrammeFigures figures)
    {
        var text = new StringBuilder();
        var acknowledged = submitted.Where(s => s.Outcome == ReportOutcome.Acknowledged).ToList();
        var unknown = submitted.Where(s => s.Outcome == ReportOutcome.NeverAcknowledged).ToList();
        var byRequest = figures.ProductionReports.ToDictionary(r => r.RequestId);
        text.AppendLine($"  client: {submitted.Count} reports submitted, {acknowledged.Count} acknowledged ({acknowledged.Sum(a => a.Units)} units), " +
            $"{unknown.Count} never acknowledged, {submitted.Count(s => s.Outcome == ReportOutcome.Refused)} refused, " +
            $"{submitted.Count(s => s.Attempts > 1)} needed retries of the same request_id ({submitted.Sum(s => s.Attempts)} attempts in all)");
        text.AppendLine($"  never acknowledged: {unknown.Count(u => byRequest.TryGetValue(u.RequestId, out var r) && r.Status == "recorded")} applied everywhere " +
            $"after the client gave up, {unknown.Count(u => !byRequest.ContainsKey(u.RequestId))} absent everywhere");
        var recorded = figures.ProductionReports.Where(r => r.Status == "recorded").ToList();
        text.AppendLine($"  production: {figures.ProductionReports.Count} reports, {recorded.Count} RECORDED ({recorded.Sum(r => r.Units)} units), " +
            $"{figures.ProductionReports.Count(r => r.Status == "rejected")} REJECTED, {figures.ProductionReports.Count(r => r.Status == "pending")} PENDING, " +
            $"{recorded.Count(r => r.Attempts > 1)} finished after more than one attempt");
        text.AppendLine($"  materials ledger: {figures.Consumptions.Count} consumptions ({figures.Consumptions.Sum(c => c.Units)} units, " +
            $"{figures.Consumptions.Sum(c => c.Movements)} movements)");
        text.Append($"  coordinator quota grains: {figures.CoordinatorProduced.Values.Sum()} units produced over {figures.CoordinatorProduced.Count} trainees");
        return text.ToString();
    }
}
