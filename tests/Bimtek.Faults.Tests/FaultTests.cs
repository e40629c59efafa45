using System.Diagnostics;
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
    /// The operators' audit command (services/Bimtek.Audit), run as an operator would against this live suite: exit
    /// code 0 when every service agrees; after a consumption is changed behind production's back and an outbox row
    /// parked, exit code 1 naming both. The plants are undone afterwards, so the other tests see a clean suite.
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

        var reportId = load.Reports.First(r => r.Outcome == ReportOutcome.Acknowledged).ReportId;
        var parkedId = Guid.CreateVersion7().ToString();
        await ExecuteAsync("materials", "UPDATE consumption_reports SET units = units + 1 WHERE report_id = @id", reportId, ct);
        await ExecuteAsync("distribution",
            "INSERT INTO outbox_messages (id, destination, message_type, payload, status, attempts, created_at, next_attempt_at, last_error) " +
            "VALUES (@id, 'audit.planted', 'planted', '\\x00', 'parked', 25, 0, 0, 'planted by the audit test')", parkedId, ct);
        try
        {
            var found = new StringWriter();
            var foundExit = await Bimtek.Audit.AuditCommand.RunAsync(args, found, ct);
            output.WriteLine(found.ToString());
            Assert.Equal(1, foundExit);
            var lines = found.ToString().Split(Environment.NewLine).Where(l => l.StartsWith("PROBLEM", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, lines.Count);
            Assert.Contains(lines, l => l.Contains($"report {reportId}", StringComparison.Ordinal) && l.Contains("consumed wrongly", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("distribution: 1 outbox rows PARKED", StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteAsync("materials", "UPDATE consumption_reports SET units = units - 1 WHERE report_id = @id", reportId, CancellationToken.None);
            await ExecuteAsync("distribution", "DELETE FROM outbox_messages WHERE id = @id", parkedId, CancellationToken.None);
        }
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
