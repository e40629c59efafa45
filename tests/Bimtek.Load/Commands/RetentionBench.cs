using System.Diagnostics;
using System.Globalization;
using Bimtek.Data.Persistence;
using Bimtek.Data.Retention;
using Bimtek.Load.Measurement;
using Bimtek.Load.Setup;
using Bimtek.Suite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bimtek.Load.Commands;

/// <summary>
/// <c>bench retention [--quick] [--reports N] [--duration 30s] [--concurrency 8]</c> (issue 20): do the hot tables stay
/// bounded, and does the write path keep its speed, after the equivalent of N (1 million) output reports? On a local
/// suite (PostgreSQL, durable settings): after a warm-up phase of the same length, measures the report rate on fresh
/// tables and counts the rows one acknowledged report leaves in each retained table (idempotency keys, outbox rows, per
/// service); writes that many rows per report for N old reports (40 days, past every window) straight into the tables;
/// measures the rate again; runs the services' own retention job (Bimtek.Data's <see cref="RetentionJob"/>, default
/// batch size and pause) against each database, as a service would at its next interval; vacuums as autovacuum would;
/// measures once more. Prints each table's live rows and size at each step (the last after the final phase's writes,
/// which reuse the space the pruning freed), the pruning's time, and the three rates. <c>--quick</c>: 20 000 reports,
/// 10 s per rate (checks the command; the figures mean little on a busy machine).
/// </summary>
public static class RetentionBench
{
    private static readonly string[] _databases = ["participants", "materials", "production", "distribution", "notifications"];
    private static readonly string[] _tables = ["idempotency_keys", "outbox_messages"];

    public static async Task<int> RunAsync(Arguments args)
    {
        var quick = args.Flag("quick");
        var reports = args.Int("reports", quick ? 20_000 : 1_000_000);
        var duration = args.Duration("duration", quick ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(30));
        var concurrency = args.Int("concurrency", 8);
        Console.WriteLine($"bench retention: {reports:N0} old reports, {duration.TotalSeconds:0} s per rate, {concurrency} callers; load {Machine.LoadAverage()}");
        Console.WriteLine("Starting a local suite on PostgreSQL…");
        var (suite, elapsed, _) = await LocalSuite.StartAsync(TextWriter.Null);
        await using (suite)
        {
            Console.WriteLine($"Suite ready in {elapsed.TotalSeconds:0.0} s");
            using var target = new Target(suite.GatewayAddress, suite.Secrets.ApiKey, suite);
            var world = await new Seeder(target.Gateway, TextWriter.Null).SeedAsync(2, 40, CancellationToken.None);
            var workload = new Workload(target.Gateway, world);

            // Warm-up, not counted: the first phase would otherwise also measure JIT, tiering and connection pools filling.
            await RateAsync(workload, concurrency, duration);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var before = await CountAsync(suite);
            var fresh = await RateAsync(workload, concurrency, duration);
            await Task.Delay(TimeSpan.FromSeconds(3)); // the relays deliver what the last reports wrote
            var after = await CountAsync(suite);
            var acknowledged = Math.Max(1, fresh.Ok);
            var perReport = after.ToDictionary(c => c.Key, c => (double)(c.Value - before.GetValueOrDefault(c.Key)) / acknowledged);
            Console.WriteLine($"rows one acknowledged report leaves (over {fresh.Ok} reports): " +
                string.Join(", ", perReport.Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value:0.00}")));

            var generate = Stopwatch.StartNew();
            foreach (var (table, rate) in perReport.Where(p => p.Value > 0))
            {
                await GenerateAsync(suite, table, (long)Math.Round(rate * reports));
            }
            Console.WriteLine($"generated the rows of {reports:N0} old reports in {generate.Elapsed.TotalSeconds:0.0} s");
            var bloatedSizes = await SizesAsync(suite);
            var bloated = await RateAsync(workload, concurrency, duration);

            var prune = Stopwatch.StartNew();
            long pruned = 0;
            foreach (var service in _databases)
            {
                var run = await PruneAsync(suite.ConnectionStrings[service]);
                pruned += run.Total;
                Console.WriteLine($"  {service}: pruned {string.Join(", ", run.PrunedByTable.Select(t => $"{t.Value:N0} {t.Key}"))} in {run.Batches} batches");
            }
            var pruneTime = prune.Elapsed;
            foreach (var service in _databases)
            {
                await ExecuteAsync(suite.ConnectionStrings[service], "VACUUM (ANALYZE) idempotency_keys, outbox_messages");
            }
            var prunedSizes = await SizesAsync(suite);
            var afterPruning = await RateAsync(workload, concurrency, duration);
            var finalSizes = await SizesAsync(suite);

            Console.WriteLine();
            Console.WriteLine($"pruning: {pruned:N0} rows in {pruneTime.TotalSeconds:0.0} s ({pruned / Math.Max(0.001, pruneTime.TotalSeconds):0} rows/s, batches of 500 with 50 ms pauses)");
            Console.WriteLine();
            Console.WriteLine("| table | fresh: live rows | with old rows: live rows, size | after pruning and VACUUM: live rows, size | after the last phase: live rows, size |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var key in bloatedSizes.Keys.Order(StringComparer.Ordinal))
            {
                var b = bloatedSizes[key];
                var p = prunedSizes[key];
                var f = finalSizes[key];
                Console.WriteLine($"| {key} | {after.GetValueOrDefault(key):N0} | {b.Rows:N0}, {b.Bytes / 1048576.0:0.0} MiB | {p.Rows:N0}, {p.Bytes / 1048576.0:0.0} MiB | {f.Rows:N0}, {f.Bytes / 1048576.0:0.0} MiB |");
            }
            Console.WriteLine();
            Console.WriteLine("| write path (output reports, closed loop) | reports/s | p50 ms | p99 ms | failed |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (name, summary) in new[] { ("fresh tables", fresh), ($"with {reports:N0} old reports' rows", bloated), ("after pruning", afterPruning) })
            {
                Console.WriteLine($"| {name} | {summary.PerSecond:0.0} | {summary.P50:0.0} | {summary.P99:0.0} | {summary.Failed} |");
            }
            Console.WriteLine($"load average at the end: {Machine.LoadAverage()}");
            return 0;
        }
    }

    private static async Task<OperationSummary> RateAsync(Workload workload, int concurrency, TimeSpan duration)
    {
        var recorder = new Recorder();
        await Driver.ClosedLoopAsync(concurrency, duration, recorder, (t, ct) => workload.ReportAsync(recorder, t, null, ct));
        return recorder.Summary(Workload.Report);
    }

    /// <summary>Rows of each retained table, as "service.table".</summary>
    private static async Task<Dictionary<string, long>> CountAsync(SuiteProcesses suite)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var service in _databases)
        {
            foreach (var table in _tables)
            {
                counts[$"{service}.{table}"] = await ScalarAsync(suite.ConnectionStrings[service], $"SELECT COUNT(*) FROM {table}");
            }
        }
        return counts;
    }

    private static async Task<Dictionary<string, (long Rows, long Bytes)>> SizesAsync(SuiteProcesses suite)
    {
        var sizes = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var service in _databases)
        {
            foreach (var table in _tables)
            {
                sizes[$"{service}.{table}"] = (await ScalarAsync(suite.ConnectionStrings[service], $"SELECT COUNT(*) FROM {table}"),
                    await ScalarAsync(suite.ConnectionStrings[service], $"SELECT pg_total_relation_size('{table}')"));
            }
        }
        return sizes;
    }

    /// <summary>Old rows (40 days: past every retention window) as the write path leaves them, in chunks of 100 000.</summary>
    private static async Task GenerateAsync(SuiteProcesses suite, string key, long rows)
    {
        var (service, table) = (key.Split('.')[0], key.Split('.')[1]);
        var sql = table == "idempotency_keys"
            ? "INSERT INTO idempotency_keys (request_id, operation, request_hash, response, created_at) " +
              "SELECT gen_random_uuid()::text, 'bench.old', md5(g::text), '\\x0a0b'::bytea, (extract(epoch FROM now() - interval '40 days') * 1000)::bigint - g " +
              "FROM generate_series(1, @n) g"
            : "INSERT INTO outbox_messages (id, destination, message_type, payload, status, attempts, created_at, next_attempt_at, delivered_at) " +
              "SELECT gen_random_uuid()::text, 'bench.old', 'bench', '\\x0a0b'::bytea, 'delivered', 1, t, t, t " +
              "FROM (SELECT (extract(epoch FROM now() - interval '40 days') * 1000)::bigint - g AS t FROM generate_series(1, @n) g) old";
        for (long done = 0; done < rows; done += 100_000)
        {
            await using var connection = new NpgsqlConnection(suite.ConnectionStrings[service]);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("n", (int)Math.Min(100_000, rows - done));
            await command.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"  {key}: {rows:N0} old rows");
    }

    /// <summary>One run of the services' own retention job, with its default options, on one database.</summary>
    private static async Task<RetentionRun> PruneAsync(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton(Database.ForPostgres(connectionString));
        services.AddRetention(new ConfigurationBuilder().Build());
        services.AddSharedRetentionTasks();
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<RetentionJob>().PruneOnceAsync(CancellationToken.None);
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
