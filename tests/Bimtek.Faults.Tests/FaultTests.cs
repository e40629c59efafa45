using System.Diagnostics;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using Bimtek.Testing.Postgres;
using Xunit.Abstractions;

namespace Bimtek.Faults.Tests;

/// <summary>
/// Crash and outage tests on the real processes under a steady load of output reports through the gateway:
/// kill -9 production, kill -9 materials, PostgreSQL down for 10 s, kill -9 one coordinator silo. After each,
/// with the load stopped and every outbox drained: every acknowledged report is counted exactly once in
/// production, in the materials ledger and in the quota grains; no report is half-applied; no outbox row is
/// pending or parked; every process's /readyz is green within 30 s of the restart. See
/// <see cref="SuiteAudit.Violations"/> for the exact rule.
/// </summary>
[Collection(FaultSuiteCollection.Name)]
public sealed class FaultTests(FaultSuiteFixture fixture, ITestOutputHelper output)
{
    private const int Trainees = 6;
    private const int QuotaPerTrainee = 3000;
    private const int Workers = 4;
    private static readonly TimeSpan _readyWithin = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a client keeps retrying one request_id. Longer than production's report lease (30 s), so a
    /// report whose attempt died with the process can still be acknowledged by the client's retry.
    /// </summary>
    private static readonly TimeSpan _retryBudget = TimeSpan.FromSeconds(40);

    private static readonly TimeSpan _drainTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan _testTimeout = TimeSpan.FromMinutes(4);

    private SuiteProcesses Suite => fixture.Suite;

    [Fact]
    public Task Kill_9_production_under_load_loses_and_doubles_nothing() =>
        RunAsync("kill -9 production", async () =>
        {
            Suite.Kill("production");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Suite.Restart("production");
            return await Suite.WaitReadyAsync(_readyWithin);
        });

    [Fact]
    public Task Kill_9_materials_under_load_loses_and_doubles_nothing() =>
        RunAsync("kill -9 materials", async () =>
        {
            Suite.Kill("materials");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Suite.Restart("materials");
            return await Suite.WaitReadyAsync(_readyWithin);
        });

    [Fact]
    public Task PostgreSQL_down_for_10_s_under_load_loses_and_doubles_nothing() =>
        RunAsync("PostgreSQL stopped for 10 s", async () =>
        {
            var server = await PostgresServer.GetAsync();
            await server.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await server.StartAsync();
            return await Suite.WaitReadyAsync(_readyWithin);
        });

    /// <summary>
    /// The silo that is killed is the SECOND one, which no client calls: production's relay, participants and the
    /// gateway all call the first silo. The grains the second silo hosts (Orleans places activations on either
    /// silo) become unreachable; the first silo's calls to them fail, production's relay retries them with the
    /// same request id, and once the dead silo is declared dead (at the latest when its replacement joins on the
    /// same endpoint) the grains are activated again from their persisted state — on a surviving silo. Killing
    /// the first silo instead would only test the relay's retry against a refused connection (as the
    /// production/materials kills already do), not grains moving between silos.
    /// </summary>
    [Fact]
    public Task Kill_9_one_of_two_coordinator_silos_under_load_loses_and_doubles_nothing() =>
        RunAsync("kill -9 the second coordinator silo", async () =>
        {
            Suite.Kill(SuiteProcesses.SecondSilo);
            await Task.Delay(TimeSpan.FromSeconds(8));
            Suite.Restart(SuiteProcesses.SecondSilo);
            return await Suite.WaitReadyAsync(_readyWithin);
        });

    /// <summary>
    /// The operators' audit command (services/Bimtek.Audit), run as an operator would against this live suite, on a
    /// programme that went the seed's whole way (reported, inspected and accepted, received by distribution, partly
    /// handed over): exit code 0 when every service agrees; after a consumption is changed behind production's back, an
    /// outbox row parked and a handover row written straight into distribution's database, exit code 1 naming each.
    /// The plants are undone afterwards, so the other tests see a clean suite.
    /// </summary>
    [Fact]
    public async Task The_audit_command_passes_on_the_agreeing_suite_and_names_each_planted_inconsistency()
    {
        using var timeout = new CancellationTokenSource(_testTimeout);
        var ct = timeout.Token;
        await Suite.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var programme = await SetUpProgrammeAsync("audit command", ct);
        var load = new ReportLoad(Suite.GatewayAddress, Suite.Secrets.ApiKey, programme.Id, Mask2020.ProductCode,
            programme.TraineeIds, programme.Days, Workers, _retryBudget);
        await using (load)
        {
            await load.WaitForAcknowledgementsAsync(20, TimeSpan.FromSeconds(60));
            await load.StopAsync();
        }
        using (var audit = new SuiteAudit(Suite))
        {
            await audit.WaitDrainedAsync(_drainTimeout, ct);
        }
        var (recipientId, handedOver, accepted) = await InspectAndHandOverAsync(programme, load.Reports, ct);
        output.WriteLine($"{accepted} units accepted, {handedOver} handed over to recipient {recipientId}");
        string[] args =
        [
            "--gateway", Suite.GatewayAddress.ToString(), "--api-key", Suite.Secrets.ApiKey, "--programme", programme.Id,
            .. new[] { "participants", "materials", "production", "distribution" }.SelectMany(s => new[] { "--" + s, Suite.ConnectionStrings[s] }),
        ];

        var clean = new StringWriter();
        var cleanExit = await Bimtek.Audit.AuditCommand.RunAsync(args, clean, ct);
        output.WriteLine(clean.ToString());
        Assert.True(cleanExit == 0, clean.ToString());
        Assert.Contains("OK: every service agrees.", clean.ToString());
        Assert.Contains($"{accepted} units accepted in 2 inspections, {accepted} received in distribution (2 receipts), {handedOver} handed over (1 handovers not cancelled)", clean.ToString());

        var reportId = load.Reports.First(r => r.Outcome == ReportOutcome.Acknowledged).ReportId;
        var parkedId = Guid.CreateVersion7().ToString();
        var plantedHandover = Guid.CreateVersion7().ToString();
        await ExecuteAsync("materials", "UPDATE consumption_reports SET units = units + 1 WHERE report_id = @id", reportId, ct);
        await ExecuteAsync("distribution",
            "INSERT INTO outbox_messages (id, destination, message_type, payload, status, attempts, created_at, next_attempt_at, last_error) " +
            "VALUES (@id, 'audit.planted', 'planted', '\\x00', 'parked', 25, 0, 0, 'planted by the audit test')", parkedId, ct);
        // One unit handed over behind the finished goods' and the recipient's backs (no more than received).
        await ExecuteAsync("distribution",
            "INSERT INTO handovers (handover_id, document_number, office_code, document_year, document_sequence, programme_id, programme_title, " +
            "product_code, product_name, units, recipient_id, recipient_name, day, place, giver_name, giver_position, receiver_name, receiver_position, " +
            "note, status, created_by, created_at) " +
            $"VALUES (@id, 'PLANTED/' || @id, 'PLANTED', 2021, 1, '{programme.Id}', 'planted', '{Mask2020.ProductCode}', 'planted', 1, '{recipientId}', " +
            "'planted', '2021-03-05', 'planted', 'planted', 'planted', 'planted', 'planted', 'planted by the audit test', 1, 'audit-test', 1614902400000)",
            plantedHandover, ct);
        try
        {
            var found = new StringWriter();
            var foundExit = await Bimtek.Audit.AuditCommand.RunAsync(args, found, ct);
            output.WriteLine(found.ToString());
            Assert.Equal(1, foundExit);
            var lines = found.ToString().Split(Environment.NewLine).Where(l => l.StartsWith("PROBLEM", StringComparison.Ordinal)).ToList();
            Assert.Equal(4, lines.Count);
            Assert.Contains(lines, l => l.Contains($"report {reportId}", StringComparison.Ordinal) && l.Contains("consumed wrongly", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("distribution: 1 outbox rows PARKED", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"finished goods count {handedOver} units handed over but its handovers not cancelled sum to {handedOver + 1}", StringComparison.Ordinal)
                && l.Contains($"PLANTED/{plantedHandover}", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"recipient {recipientId} holds {handedOver} units received but its handovers not cancelled sum to {handedOver + 1}", StringComparison.Ordinal)
                && l.Contains($"PLANTED/{plantedHandover}", StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteAsync("materials", "UPDATE consumption_reports SET units = units - 1 WHERE report_id = @id", reportId, CancellationToken.None);
            await ExecuteAsync("distribution", "DELETE FROM outbox_messages WHERE id = @id", parkedId, CancellationToken.None);
            await ExecuteAsync("distribution", "DELETE FROM handovers WHERE handover_id = @id", plantedHandover, CancellationToken.None);
        }
    }

    /// <summary>
    /// The seed's way on from recorded reports: the instructor inspects and accepts two trainees' acknowledged units of one
    /// day each, distribution receives them (production's outbox), and all but one unit are handed over to a recipient.
    /// </summary>
    private async Task<(string RecipientId, int HandedOver, int Accepted)> InspectAndHandOverAsync(FaultProgramme programme, IReadOnlyList<SubmittedReport> reports, CancellationToken ct)
    {
        using var http = Suite.CreateGatewayClient();
        var steps = new Steps(new SuiteApi(new RestClient(http, TextWriter.Null)), new ScenarioOptions(TimeSpan.FromSeconds(60)));
        var days = reports.Where(r => r.Outcome == ReportOutcome.Acknowledged)
            .GroupBy(r => (r.TraineeId, r.Day)).Select(g => (g.Key.TraineeId, g.Key.Day, Units: g.Sum(r => r.Units)))
            .DistinctBy(d => d.TraineeId).Take(2).ToList();
        Assert.Equal(2, days.Count);
        foreach (var (trainee, day, units) in days)
        {
            var inspection = await steps.Api.InspectAsync(programme.Id, trainee, day, units, programme.InstructorId, "Kualitas cukup baik", ct);
            Assert.Equal(units, inspection.Int("acceptedUnits"));
        }
        var accepted = days.Sum(d => d.Units);
        await steps.WaitAvailableAsync(programme.Id, Mask2020.ProductCode, accepted, ct);
        var recipient = await steps.Api.FindOrCreateRecipientAsync("RECIPIENT_KIND_DISASTER_MANAGEMENT_AGENCY", "BPBD Uji Audit", ProgrammeSpec.District, "Kepala Pelaksana", ct);
        var recipientId = recipient.Required("recipientId", "create recipient");
        var handedOver = accepted - 1;
        await steps.Api.CreateHandoverAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["programmeId"] = programme.Id,
            ["productCode"] = Mask2020.ProductCode,
            ["units"] = handedOver,
            ["recipientId"] = recipientId,
            ["day"] = Json.Date(new DateOnly(2021, 3, 5)),
            ["place"] = "Kantor Disperindagkop-UKM HSU, Amuntai",
            ["giver"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "Kepala Dinas", ["position"] = "Kepala Dinas" },
            ["receiver"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "Kepala Pelaksana BPBD", ["position"] = "Kepala Pelaksana" },
            ["note"] = "Audit test.",
        }, ct);
        return (recipientId, handedOver, accepted);
    }

    private async Task ExecuteAsync(string service, string sql, string id, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Suite.ConnectionStrings[service]);
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(ct));
    }

    /// <summary>Programme set-up, load, fault (returns the time from restart to every /readyz green), drain, audit.</summary>
    private async Task RunAsync(string fault, Func<Task<TimeSpan>> inject)
    {
        using var timeout = new CancellationTokenSource(_testTimeout);
        var ct = timeout.Token;
        var watch = Stopwatch.StartNew();
        output.WriteLine($"=== {fault} ===");
        output.WriteLine(fixture.StartLog);
        // Every process must be up before the fault (an earlier fault test restarted some of them).
        await Suite.WaitReadyAsync(TimeSpan.FromSeconds(60));

        var programme = await SetUpProgrammeAsync(fault, ct);
        output.WriteLine($"programme {programme.Id}: {Trainees} trainees, kits for {QuotaPerTrainee} units each (set up in {watch.Elapsed.TotalSeconds:0.0} s)");

        var load = new ReportLoad(Suite.GatewayAddress, Suite.Secrets.ApiKey, programme.Id, Mask2020.ProductCode,
            programme.TraineeIds, programme.Days, Workers, _retryBudget);
        TimeSpan readyAfter;
        await using (load)
        {
            await load.WaitForAcknowledgementsAsync(30, TimeSpan.FromSeconds(60));
            var beforeFault = load.AcknowledgedCount;
            var faultWatch = Stopwatch.StartNew();
            readyAfter = await inject();
            output.WriteLine($"fault injected and recovered after {faultWatch.Elapsed.TotalSeconds:0.0} s; every /readyz green {readyAfter.TotalSeconds:0.0} s after the restart " +
                $"({beforeFault} reports acknowledged before the fault)");
            // The load must flow again after the fault, not just have flowed before it.
            await load.WaitForAcknowledgementsAsync(30, TimeSpan.FromSeconds(60));
            await load.StopAsync();
        }
        output.WriteLine($"load stopped at {watch.Elapsed.TotalSeconds:0.0} s; client errors seen: {load.DescribeErrors()}");

        using var audit = new SuiteAudit(Suite);
        var (outboxes, drained) = await audit.WaitDrainedAsync(_drainTimeout, ct);
        output.WriteLine($"drained in {drained.TotalSeconds:0.0} s: {string.Join("; ", outboxes)}");
        var figures = await audit.ReadAsync(programme.Id, ct);
        var submitted = load.Reports;
        output.WriteLine($"{fault}:{Environment.NewLine}{SuiteAudit.Describe(submitted, figures)}");
        output.WriteLine($"total {watch.Elapsed.TotalSeconds:0.0} s");

        Assert.True(readyAfter <= _readyWithin, $"/readyz green only {readyAfter.TotalSeconds:0.0} s after the restart");
        var violations = SuiteAudit.Violations(submitted, figures, programme.BomPerUnit);
        Assert.True(violations.Count == 0,
            $"{fault}: {violations.Count} violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(40))}");
        Assert.All(outboxes, o => Assert.True(o.Pending == 0 && o.Parked == 0, o.ToString()));
        Assert.DoesNotContain(submitted, s => s.Outcome == ReportOutcome.Refused);
    }

    private Task<FaultProgramme> SetUpProgrammeAsync(string fault, CancellationToken ct) =>
        FaultProgramme.SetUpAsync(Suite, fault, Trainees, QuotaPerTrainee, ct);
}
