using System.Globalization;
using System.Text;
using Bimtek.Load.Measurement;
using Bimtek.Load.Setup;
using Bimtek.Suite;
using Bimtek.Testing.Postgres;
using Npgsql;

namespace Bimtek.Load.Commands;

/// <summary>
/// <c>bench soak [--duration 60m] [--rate 30] [--sample 60s] [--programmes 4] [--trainees 80] [--output PATH]</c>
/// (issue 20): a steady mixed load (the <see cref="Workload"/> mix, open loop at a fixed rate) against a local suite on
/// PostgreSQL for an hour; every sample interval it records each process's resident memory, its open file descriptors
/// and sockets, PostgreSQL's connections per database, each database's size and the rows of the retained tables.
/// Flat lines are the pass. Retention runs as in production but with minutes instead of days (windows 5 min, a run
/// every minute), so the retained tables reach their steady size inside the hour; business tables (reports, ledger)
/// grow with the data they hold and are reported as bytes per acknowledged report.
/// </summary>
public static class SoakBench
{
    /// <summary>The tables retention keeps bounded, where a database has them.</summary>
    private static readonly string[] _retainedTables = ["idempotency_keys", "outbox_messages"];

    public static async Task<int> RunAsync(Arguments args)
    {
        var duration = args.Duration("duration", TimeSpan.FromMinutes(60));
        var rate = args.Double("rate") ?? 30;
        var sample = args.Duration("sample", TimeSpan.FromSeconds(60));
        var programmes = args.Int("programmes", 4);
        var trainees = args.Int("trainees", 80);
        var output = args.Text("output") ?? "soak.md";
        var started = DateTimeOffset.UtcNow;
        Console.WriteLine($"bench soak: {duration.TotalMinutes:0} min at {rate:0} mixed requests/s, a sample every {sample.TotalSeconds:0} s; load {Machine.LoadAverage()}");

        var (suite, elapsed, _) = await LocalSuite.StartAsync(TextWriter.Null, new SuiteOptions { Environment = ShortRetention });
        await using (suite)
        {
            Console.WriteLine($"Suite ready in {elapsed.TotalSeconds:0.0} s");
            using var target = new Target(suite.GatewayAddress, suite.Secrets.ApiKey, suite);
            var world = await new Seeder(target.Gateway, TextWriter.Null).SeedAsync(programmes, trainees, CancellationToken.None);
            var workload = new Workload(target.Gateway, world);
            var server = await PostgresServer.GetAsync();
            var samples = new List<Sample>();
            Console.WriteLine("minute  load  ok/s  failed  report p50/p99 ms  RSS total MiB  pg conns  retained rows  db MiB");
            samples.Add(await SampleAsync(suite, server, 0, null, workload));
            var intervals = (int)Math.Ceiling(duration / sample);
            for (var i = 1; i <= intervals; i++)
            {
                var recorder = new Recorder();
                await Driver.OpenLoopAsync(rate, sample, recorder, (scheduled, ct) => workload.MixAsync(recorder, scheduled, ct));
                var taken = await SampleAsync(suite, server, i * sample.TotalMinutes, recorder, workload);
                samples.Add(taken);
                Console.WriteLine(Invariant($"{taken.Minute,6:0.0}  {taken.Load,-5}  {taken.OkPerSecond,4:0}  {taken.Failed,6}  {taken.ReportP50,7:0.0}/{taken.ReportP99,-7:0.0}  {taken.Rss.Values.Sum(),13:0}  {taken.PostgresConnections.Values.Sum(),8}  {taken.RetainedRows.Values.Sum(),13}  {taken.DatabaseMiB.Values.Sum(),6:0}"));
            }
            var report = Report(samples, started, duration, rate, sample, programmes, trainees, workload);
            await File.WriteAllTextAsync(output, report);
            Console.WriteLine();
            Console.WriteLine(report);
            Console.WriteLine($"Written to {Path.GetFullPath(output)}");
            return 0;
        }
    }

    /// <summary>Retention in minutes instead of days: the same job, batches and pauses, so its effect shows within the hour.</summary>
    private static Dictionary<string, string> ShortRetention => new()
    {
        ["Retention__Interval"] = "00:01:00",
        ["Retention__IdempotencyKeyWindow"] = "00:05:00",
        ["Retention__DeliveredOutboxWindow"] = "00:05:00",
        ["Retention__RecordWindow"] = "00:05:00",
        ["Retention__TokenWindow"] = "00:05:00",
    };

    private sealed record Sample(
        double Minute, string Load, double OkPerSecond, int Failed, double ReportP50, double ReportP99, string Errors,
        IReadOnlyDictionary<string, double> Rss, IReadOnlyDictionary<string, int> Descriptors, IReadOnlyDictionary<string, int> Sockets,
        IReadOnlyDictionary<string, long> PostgresConnections, IReadOnlyDictionary<string, double> DatabaseMiB,
        IReadOnlyDictionary<string, long> RetainedRows, long AcknowledgedReports);

    private static async Task<Sample> SampleAsync(SuiteProcesses suite, PostgresServer server, double minute, Recorder? recorder, Workload workload)
    {
        var summaries = recorder?.Summaries() ?? [];
        var report = summaries.FirstOrDefault(s => s.Operation == Workload.Report);
        var rss = new Dictionary<string, double>(StringComparer.Ordinal);
        var descriptors = new Dictionary<string, int>(StringComparer.Ordinal);
        var sockets = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var process in suite.Processes)
        {
            rss[process.Name] = Machine.RssMiB(process.ProcessId);
            (descriptors[process.Name], sockets[process.Name]) = Machine.OpenDescriptors(process.ProcessId);
        }
        rss["postgres (PSS)"] = await PostgresPssMiBAsync(server);

        var connections = new Dictionary<string, long>(StringComparer.Ordinal);
        var sizes = new Dictionary<string, double>(StringComparer.Ordinal);
        var retained = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var admin = new NpgsqlConnection(server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL AND pid <> pg_backend_pid() GROUP BY datname", admin);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                connections[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        foreach (var (service, connectionString) in suite.ConnectionStrings)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            sizes[service] = await ScalarAsync(connection, "SELECT pg_database_size(current_database())") / 1048576.0;
            foreach (var table in _retainedTables)
            {
                if (await ScalarAsync(connection, $"SELECT CASE WHEN to_regclass('{table}') IS NULL THEN 0 ELSE 1 END") == 1)
                {
                    retained[$"{service}.{table}"] = await ScalarAsync(connection, $"SELECT count(*) FROM {table}");
                }
            }
        }
        return new Sample(minute, Machine.LoadAverage().Split(' ')[0], summaries.Sum(s => s.PerSecond), summaries.Sum(s => s.Failed),
            report?.P50 ?? 0, report?.P99 ?? 0, string.Join("; ", summaries.Where(s => s.Failed > 0).Select(s => $"{s.Operation}: {s.ErrorText}")),
            rss, descriptors, sockets, connections, sizes, retained, workload.AcknowledgedReports.Count);
    }

    /// <summary>
    /// PostgreSQL's memory as proportional set size (PSS): the postmaster and its backends share the buffer cache, which
    /// resident size would count once per backend.
    /// </summary>
    private static async Task<double> PostgresPssMiBAsync(PostgresServer server)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        var backend = (int)await ScalarAsync(connection, "SELECT pg_backend_pid()");
        var postmaster = Machine.ParentOf(backend);
        return Machine.Descendants(postmaster).Sum(p => Machine.PssMiB(p.Pid));
    }

    private static string Report(List<Sample> samples, DateTimeOffset started, TimeSpan duration, double rate, TimeSpan sample,
        int programmes, int trainees, Workload workload)
    {
        var text = new StringBuilder();
        var first = samples[0];
        var last = samples[^1];
        var processes = last.Rss.Keys.ToList();
        var connectionKeys = samples.SelectMany(s => s.PostgresConnections.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var databases = last.DatabaseMiB.Keys.ToList();
        var retainedKeys = last.RetainedRows.Keys.ToList();
        text.AppendLine(Invariant($"""
            ## Soak (`bench soak`), {started:yyyy-MM-dd HH:mm} UTC

            {duration.TotalMinutes:0} minutes of the mixed workload (60 % output reports, 10 % inspections, 15 % lesson progress, 13 % progress reads, 2 % handovers) through the gateway, open loop at {rate:0} requests/s, on a local suite on PostgreSQL (durable settings), {programmes} programmes and {trainees} trainees; a sample every {sample.TotalSeconds:0} s. Retention as in production with minutes for days (windows 5 min, a run every minute). {last.AcknowledgedReports:N0} output reports acknowledged. Machine: {Machine.Cpu()}, {Machine.Memory()}, {Machine.OperatingSystem()}, {Machine.Dotnet()}.

            """));

        var verdict = new TextTable("series", "after setup", "at 10 min", "at the end", "max", "change over the second half");
        var half = samples[samples.Count / 2];
        var tenth = samples.FirstOrDefault(s => s.Minute >= 10) ?? half;
        foreach (var name in processes)
        {
            verdict.Add($"memory MiB: {name}", first.Rss[name], tenth.Rss[name], last.Rss[name], samples.Max(s => s.Rss[name]), Change(half.Rss[name], last.Rss[name]));
        }
        verdict.Add("memory MiB: all", first.Rss.Values.Sum(), tenth.Rss.Values.Sum(), last.Rss.Values.Sum(), samples.Max(s => s.Rss.Values.Sum()),
            Change(half.Rss.Values.Sum(), last.Rss.Values.Sum()));
        verdict.Add("PostgreSQL connections, all databases", first.PostgresConnections.Values.Sum(), tenth.PostgresConnections.Values.Sum(),
            last.PostgresConnections.Values.Sum(), samples.Max(s => s.PostgresConnections.Values.Sum()),
            Change(half.PostgresConnections.Values.Sum(), last.PostgresConnections.Values.Sum()));
        verdict.Add("open sockets, all processes", first.Sockets.Values.Sum(), tenth.Sockets.Values.Sum(), last.Sockets.Values.Sum(),
            samples.Max(s => s.Sockets.Values.Sum()), Change(half.Sockets.Values.Sum(), last.Sockets.Values.Sum()));
        verdict.Add("open file descriptors, all processes", first.Descriptors.Values.Sum(), tenth.Descriptors.Values.Sum(), last.Descriptors.Values.Sum(),
            samples.Max(s => s.Descriptors.Values.Sum()), Change(half.Descriptors.Values.Sum(), last.Descriptors.Values.Sum()));
        foreach (var key in retainedKeys)
        {
            verdict.Add($"rows: {key}", first.RetainedRows.GetValueOrDefault(key), tenth.RetainedRows.GetValueOrDefault(key), last.RetainedRows[key],
                samples.Max(s => s.RetainedRows.GetValueOrDefault(key)), Change(half.RetainedRows.GetValueOrDefault(key), last.RetainedRows[key]));
        }
        foreach (var name in databases)
        {
            var growth = (last.DatabaseMiB[name] - half.DatabaseMiB[name]) * 1048576.0 / Math.Max(1, last.AcknowledgedReports - half.AcknowledgedReports);
            verdict.Add($"database MiB: {name} (second half: {growth:0} bytes per report)", first.DatabaseMiB[name], tenth.DatabaseMiB[name],
                last.DatabaseMiB[name], samples.Max(s => s.DatabaseMiB[name]), Change(half.DatabaseMiB[name], last.DatabaseMiB[name]));
        }
        var steady = samples.Skip(1).ToList();
        verdict.Add("requests ok/s", 0.0, tenth.OkPerSecond, last.OkPerSecond, steady.Max(s => s.OkPerSecond), Change(half.OkPerSecond, last.OkPerSecond));
        verdict.Add("output report p99 ms", 0.0, tenth.ReportP99, last.ReportP99, steady.Max(s => s.ReportP99), Change(half.ReportP99, last.ReportP99));
        text.AppendLine("### Summary");
        text.AppendLine();
        text.AppendLine(verdict.ToMarkdown());

        var load = new TextTable("minute", "load (1 min)", "ok/s", "failed", "report p50 ms", "report p99 ms", "acknowledged reports", "errors");
        var memory = new TextTable(["minute", .. processes]);
        var connections = new TextTable(["minute", .. connectionKeys.Select(k => $"pg {k}"), .. processes.Where(first.Sockets.ContainsKey).Select(p => $"sockets {p}")]);
        var tables = new TextTable(["minute", .. databases.Select(d => $"{d} MiB"), .. retainedKeys]);
        foreach (var s in samples)
        {
            load.Add(s.Minute, s.Load, s.OkPerSecond, s.Failed, s.ReportP50, s.ReportP99, s.AcknowledgedReports, s.Errors.Length == 0 ? "-" : s.Errors);
            memory.Add([s.Minute, .. processes.Select(p => (object)s.Rss.GetValueOrDefault(p, double.NaN))]);
            connections.Add([s.Minute, .. connectionKeys.Select(k => (object)s.PostgresConnections.GetValueOrDefault(k)),
                .. processes.Where(first.Sockets.ContainsKey).Select(p => (object)s.Sockets.GetValueOrDefault(p))]);
            tables.Add([s.Minute, .. databases.Select(d => (object)s.DatabaseMiB[d]), .. retainedKeys.Select(k => (object)s.RetainedRows.GetValueOrDefault(k))]);
        }
        foreach (var (title, table) in new[] { ("Load and latency", load), ("Resident memory per process, MiB (PostgreSQL: PSS of the postmaster and its backends)", memory),
            ("Connections: PostgreSQL's per database, open sockets per process", connections), ("Database sizes and retained tables' rows", tables) })
        {
            text.AppendLine($"### {title}");
            text.AppendLine();
            text.AppendLine(table.ToMarkdown());
        }
        return text.ToString();
    }

    private static string Change(double from, double to) =>
        from == 0 ? (to == 0 ? "0 %" : "n/a") : Invariant($"{(to - from) / from * 100:+0.0;-0.0;0} %");

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
