using System.Diagnostics;
using System.Text;
using Bimtek.Scenarios.Rest;
using Bimtek.Suite;
using Npgsql;

namespace Bimtek.Faults.Tests;

/// <summary>What every service holds about one programme's output reports after the load, read at the source.</summary>
public sealed record ProgrammeFigures(
    IReadOnlyList<ProductionReport> ProductionReports,
    IReadOnlyList<MaterialsConsumption> Consumptions,
    IReadOnlyDictionary<string, int> CoordinatorProduced);

/// <summary>A row of production's output_reports.</summary>
public sealed record ProductionReport(string ReportId, string RequestId, string TraineeId, int Units, string Status, int Attempts);

/// <summary>Materials' consumption for one report id: its consumption_reports row and its ledger entries.</summary>
public sealed record MaterialsConsumption(string ReportId, string TraineeId, int Units, int Movements, IReadOnlyDictionary<string, long> ConsumedByMaterial);

/// <summary>Outbox rows of one service's database by status.</summary>
public sealed record OutboxCounts(string Service, long Pending, long Parked, long Delivered, long DeliveredAfterRetries)
{
    public override string ToString() => $"{Service}: pending {Pending}, parked {Parked}, delivered {Delivered} ({DeliveredAfterRetries} after retries)";
}

/// <summary>
/// Reads the suite's state directly: production's and materials' tables and every service's outbox through
/// Npgsql (the connection strings the suite created), and the coordinator's quota grains through the gateway's
/// REST surface (GET progress), which is the grains' own answer.
/// </summary>
public sealed class SuiteAudit(SuiteProcesses suite)
{
    /// <summary>Services whose database has an outbox (the coordinator keeps its state in grains, not in an outbox database).</summary>
    private static readonly string[] _databaseServices = ["participants", "materials", "production", "distribution"];

    public async Task<IReadOnlyList<OutboxCounts>> OutboxesAsync(CancellationToken ct)
    {
        var result = new List<OutboxCounts>();
        foreach (var service in _databaseServices)
        {
            await using var connection = await OpenAsync(service, ct);
            await using var command = new NpgsqlCommand(
                "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'parked'), " +
                "COUNT(*) FILTER (WHERE status = 'delivered'), COUNT(*) FILTER (WHERE status = 'delivered' AND attempts > 1) FROM outbox_messages", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            result.Add(new OutboxCounts(service, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        return result;
    }

    /// <summary>Production's PENDING reports (all programmes): reports stored but not yet consumed and recorded or refused.</summary>
    public async Task<long> PendingReportsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync("production", ct);
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM output_reports WHERE status = 'pending'", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

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

    public async Task<ProgrammeFigures> ReadAsync(string programmeId, CancellationToken ct)
    {
        var reports = new List<ProductionReport>();
        await using (var connection = await OpenAsync("production", ct))
        {
            await using var command = new NpgsqlCommand(
                "SELECT report_id, request_id, trainee_id, units, status, attempts FROM output_reports WHERE programme_id = @p AND rework_order_id = ''", connection);
            command.Parameters.AddWithValue("p", programmeId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                reports.Add(new ProductionReport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetInt32(5)));
            }
        }

        var consumptions = new Dictionary<string, (string Trainee, int Units, HashSet<string> Movements, Dictionary<string, long> ByMaterial)>();
        await using (var connection = await OpenAsync("materials", ct))
        {
            await using (var command = new NpgsqlCommand(
                "SELECT report_id, trainee_id, units FROM consumption_reports WHERE programme_id = @p", connection))
            {
                command.Parameters.AddWithValue("p", programmeId);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    consumptions[reader.GetString(0)] = (reader.GetString(1), reader.GetInt32(2), [], []);
                }
            }
            // kind 4 = consumption. The ledger is the truth of what left the trainee's home, per report id.
            await using (var command = new NpgsqlCommand(
                "SELECT m.report_id, m.movement_id, e.material_id, e.quantity_delta FROM movements m " +
                "JOIN ledger_entries e ON e.movement_id = m.movement_id WHERE m.kind = 4 AND m.programme_id = @p", connection))
            {
                command.Parameters.AddWithValue("p", programmeId);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var reportId = reader.GetString(0);
                    if (!consumptions.TryGetValue(reportId, out var entry))
                    {
                        // Ledger entries without a consumption_reports row: recorded as a consumption of 0 units.
                        entry = ("", 0, [], []);
                        consumptions[reportId] = entry;
                    }
                    entry.Movements.Add(reader.GetString(1));
                    entry.ByMaterial[reader.GetString(2)] = entry.ByMaterial.GetValueOrDefault(reader.GetString(2)) - reader.GetInt64(3);
                }
            }
        }

        using var http = suite.CreateGatewayClient();
        var api = new SuiteApi(new RestClient(http, TextWriter.Null));
        var progress = await api.GetProgressAsync(programmeId, null, ct);
        var produced = progress.Array("trainees").ToDictionary(t => t.Str("traineeId"), t => t.Int("produced"));

        return new ProgrammeFigures(
            reports,
            [.. consumptions.Select(c => new MaterialsConsumption(c.Key, c.Value.Trainee, c.Value.Units, c.Value.Movements.Count, c.Value.ByMaterial))],
            produced);
    }

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
        var problems = new List<string>();
        var byRequest = figures.ProductionReports.GroupBy(r => r.RequestId).ToDictionary(g => g.Key, g => g.ToList());
        var consumptions = figures.Consumptions.ToDictionary(c => c.ReportId);

        foreach (var report in figures.ProductionReports)
        {
            var consumed = consumptions.GetValueOrDefault(report.ReportId);
            switch (report.Status)
            {
                case "recorded":
                    if (consumed is null)
                    {
                        problems.Add($"report {report.ReportId} is RECORDED in production but materials has no consumption for it");
                    }
                    else
                    {
                        var wrong = bomPerUnit.Where(b => consumed.ConsumedByMaterial.GetValueOrDefault(b.Key) != b.Value * report.Units).ToList();
                        if (consumed.Movements != 1 || consumed.Units != report.Units || wrong.Count > 0 || consumed.TraineeId != report.TraineeId)
                        {
                            problems.Add($"report {report.ReportId} ({report.Units} units of {report.TraineeId}) is consumed wrongly: {consumed.Movements} movements, " +
                                $"{consumed.Units} units, materials {string.Join(", ", consumed.ConsumedByMaterial.Select(m => $"{m.Key}={m.Value}"))}; " +
                                $"expected {string.Join(", ", bomPerUnit.Select(b => $"{b.Key}={b.Value * report.Units}"))}");
                        }
                    }
                    break;
                case "rejected":
                    if (consumed is not null)
                    {
                        problems.Add($"report {report.ReportId} is REJECTED but materials consumed for it");
                    }
                    break;
                default:
                    problems.Add($"report {report.ReportId} is still {report.Status} in production after the drain (half-applied/stuck)");
                    break;
            }
        }

        // Consumptions of REJECTED or PENDING reports are reported above; these are for reports production does not hold at all.
        var productionIds = figures.ProductionReports.Select(r => r.ReportId).ToHashSet();
        foreach (var orphan in figures.Consumptions.Where(c => !productionIds.Contains(c.ReportId)))
        {
            problems.Add($"materials consumed for report {orphan.ReportId} ({orphan.Units} units) that production does not hold");
        }

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

        var trainees = figures.ProductionReports.Select(r => r.TraineeId).Concat(figures.CoordinatorProduced.Keys).Distinct();
        foreach (var trainee in trainees)
        {
            var recorded = figures.ProductionReports.Where(r => r.TraineeId == trainee && r.Status == "recorded").Sum(r => r.Units);
            var produced = figures.CoordinatorProduced.GetValueOrDefault(trainee);
            if (recorded != produced)
            {
                problems.Add($"trainee {trainee}: production recorded {recorded} units but the coordinator's quota grain counts {produced} produced " +
                    (produced > recorded ? "(DOUBLE-COUNTED)" : "(LOST)"));
            }
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

    private async Task<NpgsqlConnection> OpenAsync(string service, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(suite.ConnectionStrings[service])
        {
            // Not pooled: the audit's connections must not go stale across a PostgreSQL restart.
            Pooling = false,
            Timeout = 5,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
