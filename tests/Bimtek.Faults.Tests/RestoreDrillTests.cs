using System.Diagnostics;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Bimtek.Faults.Tests;

/// <summary>
/// The restore drill of README "Backups and restore", the hard case: every service's database dumped with
/// deploy/backup/dump-databases.sh at a DIFFERENT moment while output reports keep arriving, restored with
/// deploy/backup/restore-databases.sh into a new PostgreSQL cluster, and a new suite started on it. Then: the
/// rewound outboxes and production's reconciler settle what they carry; the audit names exactly the reports
/// whose consumption materials' earlier dump lost; the audit's repair re-drives those through materials' API;
/// the audit then finds every service in agreement. Nothing acknowledged before the earliest dump is lost.
/// </summary>
[Collection(FaultSuiteCollection.Name)]
public sealed class RestoreDrillTests(FaultSuiteFixture fixture, ITestOutputHelper output)
{
    private const int Trainees = 6;
    private const int QuotaPerTrainee = 3000;
    private const int Workers = 4;

    /// <summary>The order dump-databases.sh dumps in by default: receivers of effects before their senders.</summary>
    private static readonly string[] _dumpOrder = ["notifications", "identity", "coordinator", "materials", "distribution", "production", "participants"];

    /// <summary>Generous: the drill takes a minute or two, but CI shares the cores with the other test projects.</summary>
    private static readonly TimeSpan _testTimeout = TimeSpan.FromMinutes(12);

    /// <summary>How long a wait for acknowledgements may take before the load counts as not flowing.</summary>
    private static readonly TimeSpan _ackWait = TimeSpan.FromSeconds(180);

    private SuiteProcesses Source => fixture.Suite;

    [Fact]
    public async Task Dumps_taken_at_different_moments_under_load_restore_into_agreement_after_the_documented_repair()
    {
        using var timeout = new CancellationTokenSource(_testTimeout);
        var ct = timeout.Token;
        var watch = Stopwatch.StartNew();
        await Source.WaitReadyAsync(TimeSpan.FromSeconds(120));
        var programme = await FaultProgramme.SetUpAsync(Source, "restore drill", Trainees, QuotaPerTrainee, ct);
        var bin = FreshPostgresCluster.FindBinDirectory() ?? throw new InvalidOperationException("no local PostgreSQL binaries for pg_dump/pg_restore");
        var backups = Directory.CreateTempSubdirectory("bimtek-backup-");
        var source = new NpgsqlConnectionStringBuilder(Source.ConnectionStrings["production"]);
        var databases = _dumpOrder.ToDictionary(s => s, s => new NpgsqlConnectionStringBuilder(Source.ConnectionStrings[s == "coordinator" ? "orleans" : s]).Database!);
        var environment = new Dictionary<string, string>
        {
            ["BIMTEK_PG_EXEC"] = "",
            ["BIMTEK_DATABASES"] = string.Join(' ', _dumpOrder.Select(s => $"{s}:{databases[s]}")),
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["PGHOST"] = source.Host!,
            ["PGPORT"] = source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = source.Username!,
        };

        // Notifications has told every trainee of their kit (materials' outbox) before the first dump.
        var kitMessages = await WaitForAsync(() => ScalarAsync(Source.ConnectionStrings["notifications"],
            "SELECT COUNT(*) FROM messages WHERE programme_id = @p AND dedupe_key LIKE 'kit:%'", programme.Id, ct), n => n >= Trainees, ct);
        output.WriteLine($"{kitMessages} kit messages in notifications before the dumps");

        // 1. Under a steady load, one dump after the other, with acknowledged reports between every two.
        var dumped = new Dictionary<string, (DateTimeOffset Started, DateTimeOffset Finished)>();
        IReadOnlyList<string> messagesBeforeDump = [];
        var load = new ReportLoad(Source.GatewayAddress, Source.Secrets.ApiKey, programme.Id, Mask2020.ProductCode,
            programme.TraineeIds, programme.Days, Workers, TimeSpan.FromSeconds(40));
        await using (load)
        {
            await load.WaitForAcknowledgementsAsync(20, _ackWait);
            foreach (var service in _dumpOrder)
            {
                if (service == "notifications")
                {
                    // Every message notifications held when its dump began: the restored one must hold each exactly once.
                    messagesBeforeDump = await ListAsync(Source.ConnectionStrings["notifications"],
                        "SELECT dedupe_key FROM messages WHERE programme_id = @p ORDER BY dedupe_key", programme.Id, ct);
                }
                var started = DateTimeOffset.UtcNow;
                output.WriteLine(await RunScriptAsync("dump-databases.sh", [backups.FullName, service], environment, ct));
                dumped[service] = (started, DateTimeOffset.UtcNow);
                // More than the workers can hold in flight: some reports are submitted and acknowledged between two dumps.
                await load.WaitForAcknowledgementsAsync(Workers + 6, _ackWait);
            }
            await load.StopAsync();
        }
        var submitted = load.Reports;
        output.WriteLine($"dumped in {watch.Elapsed.TotalSeconds:0.0} s under load: {load.AcknowledgedCount} reports acknowledged; client errors: {load.DescribeErrors()}");
        Assert.DoesNotContain(submitted, s => s.Outcome == ReportOutcome.Refused);
        var manifest = await File.ReadAllLinesAsync(Path.Combine(backups.FullName, "manifest.tsv"), ct);
        Assert.Equal(_dumpOrder, manifest.Select(l => l.Split('\t')[0]));

        // 2. A new, empty cluster with the databases (as compose's init script makes them), the dumps restored into it.
        await using var fresh = await FreshPostgresCluster.StartAsync();
        var admin = new NpgsqlConnectionStringBuilder(fresh.AdminConnectionString) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(ct);
            foreach (var database in databases.Values)
            {
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        environment["PGHOST"] = admin.Host!;
        environment["PGPORT"] = admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["PGUSER"] = admin.Username!;
        environment["BIMTEK_ROLE_PREFIX"] = "";
        var restoreLog = await RunScriptAsync("restore-databases.sh", [backups.FullName], environment, ct);
        output.WriteLine(restoreLog);
        Assert.Contains("production: ", restoreLog);

        // 3. A new suite on the restored databases (one silo; the same short relay back-offs as the fault suite).
        var restoredStrings = _dumpOrder.ToDictionary(s => s == "coordinator" ? "orleans" : s, s => new NpgsqlConnectionStringBuilder(admin.ConnectionString)
        {
            Database = databases[s],
            Pooling = true,
            MaxPoolSize = 50,
        }.ConnectionString);
        var startLog = new StringWriter();
        await using var restored = await SuiteProcesses.StartAsync(DatabaseKind.Postgres, startLog,
            new SuiteOptions { Environment = FaultSuiteFixture.RelayEnvironment, Databases = restoredStrings });
        output.WriteLine(startLog.ToString());
        using (var drain = new SuiteAudit(restored))
        {
            var (outboxes, drained) = await drain.WaitDrainedAsync(TimeSpan.FromSeconds(240), ct);
            output.WriteLine($"restored suite drained in {drained.TotalSeconds:0.0} s: {string.Join("; ", outboxes)}");
        }

        // Identity and notifications came back too: every trainee's account is there and active; every message notifications
        // held when its dump began is there once (the rewound senders' events re-delivered to it are de-duplicated, not re-sent).
        var accounts = await ListAsync(restored.ConnectionStrings["identity"],
            "SELECT \"Subject\" FROM \"AspNetUsers\" WHERE NOT \"Disabled\" AND \"Subject\" = ANY(string_to_array(@p, ','))", string.Join(',', programme.TraineeIds), ct);
        Assert.Equal(programme.TraineeIds.Order(), accounts.Order());
        var restoredMessages = await ListAsync(restored.ConnectionStrings["notifications"],
            "SELECT dedupe_key FROM messages WHERE programme_id = @p ORDER BY dedupe_key", programme.Id, ct);
        Assert.NotEmpty(messagesBeforeDump);
        Assert.All(messagesBeforeDump, key => Assert.Single(restoredMessages, m => m == key));
        Assert.Equal(restoredMessages.Count, restoredMessages.Distinct().Count());
        output.WriteLine($"identity: {accounts.Count} trainee accounts; notifications: {messagesBeforeDump.Count} messages before its dump, {restoredMessages.Count} after the restore");

        // 4. Nothing acknowledged before the earliest dump is lost: production (dumped later) holds each, RECORDED.
        var earliest = dumped[_dumpOrder[0]].Started;
        var materialsDump = dumped["materials"];
        var productionDump = dumped["production"];
        var figures = await new SuiteAudit(restored).ReadAsync(programme.Id, ct);
        var restoredReports = figures.ProductionReports.ToDictionary(r => r.RequestId);
        foreach (var report in submitted.Where(r => r.AcknowledgedAt < earliest))
        {
            Assert.True(restoredReports.TryGetValue(report.RequestId, out var row) && row.ReportId == report.ReportId && row.Status == "recorded",
                $"report {report.ReportId} acknowledged before the earliest dump is not RECORDED after the restore");
        }

        // 5. The audit names precisely the reports consumed after materials' dump and recorded before production's.
        string[] auditArgs =
        [
            "--gateway", restored.GatewayAddress.ToString(), "--api-key", restored.Secrets.ApiKey, "--programme", programme.Id,
            .. new[] { "participants", "materials", "production", "distribution" }.SelectMany(s => new[] { "--" + s, restored.ConnectionStrings[s] }),
        ];
        var before = new StringWriter();
        var beforeExit = await Bimtek.Audit.AuditCommand.RunAsync(auditArgs, before, ct);
        output.WriteLine(before.ToString());
        var problems = before.ToString().Split(Environment.NewLine).Where(l => l.StartsWith("PROBLEM", StringComparison.Ordinal)).ToList();
        Assert.All(problems, p => Assert.Contains("is RECORDED in production but materials has no consumption for it", p));
        var named = problems.Select(p => p.Split("report ")[1].Split(' ')[0]).ToHashSet();
        // Surely lost by materials: first sent after its dump had finished, acknowledged before production's began.
        var mustBeNamed = submitted.Where(r => r.SubmittedAt > materialsDump.Finished && r.AcknowledgedAt < productionDump.Started).Select(r => r.ReportId).ToList();
        Assert.NotEmpty(mustBeNamed);
        Assert.Equal(1, beforeExit);
        Assert.All(mustBeNamed, id => Assert.Contains(id, named));
        // Surely kept by materials: acknowledged before its dump began. Never named.
        var byReport = submitted.Where(r => r.ReportId != "").ToDictionary(r => r.ReportId);
        Assert.All(named, id => Assert.False(byReport.TryGetValue(id, out var r) && r.AcknowledgedAt < materialsDump.Started,
            $"report {id} was acknowledged before materials' dump began, yet the audit says materials lost it"));
        output.WriteLine($"the audit named {named.Count} reports whose consumption materials lost ({mustBeNamed.Count} surely lost by the timing)");

        // 6. The documented repair re-drives exactly those through materials' API; a second run finds nothing to do.
        string[] repairArgs =
        [
            "repair", "--gateway", restored.GatewayAddress.ToString(), "--materials-grpc", restored.GrpcAddresses["materials"].ToString(),
            "--client-id", "production", "--client-secret", restored.Secrets.ClientSecret("production"), "--programme", programme.Id,
            "--production", restored.ConnectionStrings["production"], "--materials", restored.ConnectionStrings["materials"],
        ];
        var repair = new StringWriter();
        var repairExit = await Bimtek.Audit.AuditCommand.RunAsync(repairArgs, repair, ct);
        output.WriteLine(repair.ToString());
        Assert.True(repairExit == 0, repair.ToString());
        var repaired = repair.ToString().Split(Environment.NewLine).Where(l => l.StartsWith("REPAIRED", StringComparison.Ordinal))
            .Select(l => l.Split("report ")[1].Split(' ')[0]).ToHashSet();
        Assert.Equal(named.Order(), repaired.Order());
        var again = new StringWriter();
        Assert.Equal(0, await Bimtek.Audit.AuditCommand.RunAsync(repairArgs, again, ct));
        Assert.Contains("nothing to repair", again.ToString());

        var after = new StringWriter();
        var afterExit = await Bimtek.Audit.AuditCommand.RunAsync(auditArgs, after, ct);
        output.WriteLine(after.ToString());
        Assert.True(afterExit == 0, after.ToString());
        Assert.Contains("OK: every service agrees.", after.ToString());
        output.WriteLine($"restore drill done in {watch.Elapsed.TotalSeconds:0.0} s");
        backups.Delete(recursive: true);
    }

    /// <summary>
    /// The recommended procedure (README): deploy/backup/base-backup.sh copies the whole cluster at ONE instant while
    /// reports keep arriving; restore-base-backup.sh prepares a new data directory from it; a new suite on that
    /// cluster agrees with itself after the outboxes and production's reconciler have run, with no repair at all.
    /// </summary>
    [Fact]
    public async Task A_base_backup_under_load_restores_every_service_at_one_instant_with_nothing_to_repair()
    {
        using var timeout = new CancellationTokenSource(_testTimeout);
        var ct = timeout.Token;
        var watch = Stopwatch.StartNew();
        await Source.WaitReadyAsync(TimeSpan.FromSeconds(120));
        var programme = await FaultProgramme.SetUpAsync(Source, "base backup", Trainees, QuotaPerTrainee, ct);
        var bin = FreshPostgresCluster.FindBinDirectory() ?? throw new InvalidOperationException("no local PostgreSQL binaries for pg_basebackup");
        var backups = Directory.CreateTempSubdirectory("bimtek-base-backup-");
        var source = new NpgsqlConnectionStringBuilder(Source.ConnectionStrings["production"]);
        var environment = new Dictionary<string, string>
        {
            ["BIMTEK_PG_EXEC"] = "",
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["PGHOST"] = source.Host!,
            ["PGPORT"] = source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = source.Username!,
        };

        DateTimeOffset started, finished;
        var load = new ReportLoad(Source.GatewayAddress, Source.Secrets.ApiKey, programme.Id, Mask2020.ProductCode,
            programme.TraineeIds, programme.Days, Workers, TimeSpan.FromSeconds(40));
        await using (load)
        {
            await load.WaitForAcknowledgementsAsync(20, _ackWait);
            started = DateTimeOffset.UtcNow;
            output.WriteLine(await RunScriptAsync("base-backup.sh", [backups.FullName], environment, ct));
            finished = DateTimeOffset.UtcNow;
            await load.WaitForAcknowledgementsAsync(Workers + 6, _ackWait);
            await load.StopAsync();
        }
        var submitted = load.Reports;
        output.WriteLine($"base backup taken in {(finished - started).TotalSeconds:0.0} s under load; {load.AcknowledgedCount} reports acknowledged; client errors: {load.DescribeErrors()}");

        await using var restoredCluster = await FreshPostgresCluster.StartFromAsync(async data =>
            output.WriteLine(await RunScriptAsync("restore-base-backup.sh", [Path.Combine(backups.FullName, "base.tar.gz"), data], environment, ct)));
        var admin = new NpgsqlConnectionStringBuilder(restoredCluster.AdminConnectionString);
        var restoredStrings = Source.ConnectionStrings.ToDictionary(c => c.Key, c => new NpgsqlConnectionStringBuilder(admin.ConnectionString)
        {
            Database = new NpgsqlConnectionStringBuilder(c.Value).Database,
            Pooling = true,
            MaxPoolSize = 50,
        }.ConnectionString);
        var startLog = new StringWriter();
        await using var restored = await SuiteProcesses.StartAsync(DatabaseKind.Postgres, startLog,
            new SuiteOptions { Environment = FaultSuiteFixture.RelayEnvironment, Databases = restoredStrings });
        output.WriteLine(startLog.ToString());
        using (var drain = new SuiteAudit(restored))
        {
            var (outboxes, drained) = await drain.WaitDrainedAsync(TimeSpan.FromSeconds(240), ct);
            output.WriteLine($"restored suite drained in {drained.TotalSeconds:0.0} s: {string.Join("; ", outboxes)}");
        }

        // One instant: everything acknowledged before the backup began is there, nothing sent after it ended is.
        var figures = await new SuiteAudit(restored).ReadAsync(programme.Id, ct);
        var restoredReports = figures.ProductionReports.ToDictionary(r => r.RequestId);
        var before = submitted.Where(r => r.AcknowledgedAt < started).ToList();
        Assert.NotEmpty(before);
        Assert.All(before, r => Assert.True(restoredReports.TryGetValue(r.RequestId, out var row) && row.ReportId == r.ReportId && row.Status == "recorded",
            $"report {r.ReportId} acknowledged before the base backup began is not RECORDED after the restore"));
        var sentAfter = submitted.Where(r => r.SubmittedAt > finished).Select(r => r.RequestId).ToHashSet();
        Assert.NotEmpty(sentAfter);
        Assert.DoesNotContain(figures.ProductionReports, r => sentAfter.Contains(r.RequestId));

        string[] auditArgs =
        [
            "--gateway", restored.GatewayAddress.ToString(), "--api-key", restored.Secrets.ApiKey, "--programme", programme.Id,
            .. new[] { "participants", "materials", "production", "distribution" }.SelectMany(s => new[] { "--" + s, restored.ConnectionStrings[s] }),
        ];
        var audit = new StringWriter();
        var auditExit = await Bimtek.Audit.AuditCommand.RunAsync(auditArgs, audit, ct);
        output.WriteLine(audit.ToString());
        Assert.True(auditExit == 0, audit.ToString());
        Assert.Contains("OK: every service agrees.", audit.ToString());
        output.WriteLine($"base backup drill done in {watch.Elapsed.TotalSeconds:0.0} s");
        backups.Delete(recursive: true);
    }

    private static async Task<IReadOnlyList<string>> ListAsync(string connectionString, string sql, string parameter, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", parameter);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql, string parameter, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", parameter);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds (at most 120 s); returns the last value.</summary>
    private static async Task<long> WaitForAsync(Func<Task<long>> read, Func<long, bool> done, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"still {value} after {watch.Elapsed.TotalSeconds:0} s");
            await Task.Delay(500, ct);
        }
    }

    private static async Task<string> RunScriptAsync(string script, string[] arguments, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo("sh", [Path.Combine(RepositoryRoot(), "deploy", "backup", script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var text = (await stdout + await stderr).TrimEnd();
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}): {text}");
        return text;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Microservices.sln above {AppContext.BaseDirectory}.");
    }
}
