using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bimtek.Coordinator.V1;
using Bimtek.Load.Measurement;
using Bimtek.Load.Setup;
using Bimtek.Materials.V1;
using Bimtek.Participants.V1;
using Bimtek.Production.V1;
using Bimtek.Suite;
using Bimtek.Testing.Postgres;

namespace Bimtek.Load.Commands;

/// <summary>
/// <c>bench</c>: starts a local suite on PostgreSQL and measures, in one run, B1 (the gateway hop on a
/// cheap read), B2 (the full write path of an output report against pgbench -N), B3 (quota effects per
/// second in the coordinator), B4 (time to ready and memory) and a per-hop breakdown of the write path;
/// prints every figure and writes them to BENCHMARKS.md.
/// </summary>
public sealed class BenchCommand
{
    private readonly bool _quick;
    private bool _readsOnly;
    private readonly TimeSpan _phase;
    private readonly StringBuilder _markdown = new();
    private readonly Dictionary<string, double> _headline = new(StringComparer.Ordinal);
    private SuiteProcesses _suite = null!;
    private Target _target = null!;
    private World _world = null!;
    private Workload _workload = null!;

    private readonly int _programmes;
    private readonly int _trainees;

    private BenchCommand(bool quick, int programmes, int trainees)
    {
        _quick = quick;
        _programmes = programmes;
        _trainees = trainees;
        _phase = quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(10);
    }

    public static async Task<int> RunAsync(Arguments args, string[] raw)
    {
        // Kit plans stay small (≤ 50 trainees each): a large plan's dispatch can outlast the gateway's deadline on a busy machine.
        var quick = args.Flag("quick");
        var bench = new BenchCommand(quick, args.Int("programmes", quick ? 2 : 8), args.Int("trainees", quick ? 100 : 400))
        {
            // B1 alone, printed and not written: for profiling the read path (e.g. dotnet-trace on the gateway meanwhile).
            _readsOnly = args.Flag("b1-only"),
        };
        var output = args.Text("output") ?? Path.Combine(RepositoryRoot(), "BENCHMARKS.md");
        var command = "dotnet run -c Release --project tests/Bimtek.Load -- " + string.Join(' ', raw);
        return await bench.RunAsync(command, output, apphost: !args.Flag("no-apphost") && !bench._quick);
    }

    /// <summary>Starts the part of BENCHMARKS.md that other tools measure (e.g. the deployment test); bench keeps it.</summary>
    internal const string KeptMarker = "<!-- Measured outside bench (kept when bench rewrites this file) -->";

    /// <summary>The part of an existing BENCHMARKS.md from <see cref="KeptMarker"/> on, or nothing.</summary>
    internal static string KeptSections(string existing)
    {
        var at = existing.IndexOf(KeptMarker, StringComparison.Ordinal);
        return at < 0 ? "" : "\n" + existing[at..];
    }

    private async Task<int> RunAsync(string command, string output, bool apphost)
    {
        var started = DateTimeOffset.UtcNow;
        var loadAtStart = Machine.LoadAverage();
        var total = Stopwatch.StartNew();
        Console.WriteLine($"Bimtek benchmarks ({(_quick ? "quick" : "full")}), {started:yyyy-MM-dd HH:mm} UTC, load average {loadAtStart}");

        // ----- B4 (part 1): the suite launcher -----
        Console.WriteLine("Starting the suite on PostgreSQL (tests/Bimtek.Suite launcher)…");
        var (suite, startElapsed, readyAfter) = await LocalSuite.StartAsync(Console.Out);
        _suite = suite;
        try
        {
            _target = new Target(suite.GatewayAddress, suite.Secrets.ApiKey, suite);
            var memoryAtStart = SampleMemory();
            await Task.Delay(TimeSpan.FromSeconds(2));

            var programmes = _programmes;
            var trainees = _trainees;
            Console.WriteLine($"Setting up {programmes} programmes with {trainees} trainees…");
            var setup = Stopwatch.StartNew();
            _world = await new Seeder(_target.Gateway, Console.Out).SeedAsync(programmes, trainees, CancellationToken.None);
            setup.Stop();
            _workload = new Workload(_target.Gateway, _world);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var memoryAtRest = SampleMemory();
            var pssAtRest = _suite.Processes.ToDictionary(p => p.Name, p => Machine.PssMiB(p.ProcessId), StringComparer.Ordinal);

            var b1 = await B1Async();
            if (_readsOnly)
            {
                Console.WriteLine(b1);
                return 0;
            }
            var (b2, memoryUnderLoad) = await B2Async();
            var cost = await CostAsync();
            var breakdown = await BreakdownAsync();
            var b3 = await B3Async();
            var apphostResult = apphost ? await AppHostProbe.RunAsync(Console.Out) : null;

            var b4 = B4(startElapsed, readyAfter, memoryAtStart, memoryAtRest, pssAtRest, memoryUnderLoad, apphostResult, apphost);
            var loadAtEnd = Machine.LoadAverage();
            _markdown.Append(b1).Append(b2).Append(b3).Append(b4).Append(cost).Append(breakdown);
            WriteHeader(command, started, loadAtStart, loadAtEnd, total.Elapsed, programmes, trainees, setup.Elapsed);
            _markdown.Append(Caveats());
            var text = _markdown.ToString();
            var kept = File.Exists(output) ? KeptSections(await File.ReadAllTextAsync(output)) : "";
            await File.WriteAllTextAsync(output, text + kept);
            Console.WriteLine();
            Console.WriteLine(text);
            Console.WriteLine($"Written to {output} ({total.Elapsed.TotalMinutes:0.0} min)");
            return 0;
        }
        finally
        {
            _target?.Dispose();
            await suite.DisposeAsync();
        }
    }

    // ----- B1: one cheap read three ways -----

    private async Task<string> B1Async()
    {
        const int concurrency = 16;
        var programmeId = _world.Programmes[0].ProgrammeId;
        var token = _target.Token("bench-operator", "operator", "integrator");
        using var direct = _target.DirectRest("participants", token);
        var grpc = new ParticipantsService.ParticipantsServiceClient(_target.Channel("participants"));
        var headers = _target.Bearer(token);
        var path = $"/api/v1/programmes/{programmeId}";
        var ways = new (string Name, Func<Recorder, long, Task> Call)[]
        {
            ("REST via gateway", (r, t) => r.TimeAsync("read", t, () => _target.Gateway.GetJsonAsync(path))),
            ("REST direct to participants", (r, t) => r.TimeAsync("read", t, () => direct.GetJsonAsync(path))),
            ("gRPC direct to participants", (r, t) => r.TimeAsync("read", t, () => grpc.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programmeId }, headers).ResponseAsync)),
        };
        var results = new List<(string Name, OperationSummary Summary)>();
        foreach (var (name, call) in ways)
        {
            Console.WriteLine($"B1: {name}, {concurrency} callers, {_phase.TotalSeconds:0} s…");
            await Driver.ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(1), new Recorder(), (t, _) => call(new Recorder(), t));
            var recorder = new Recorder();
            await Driver.ClosedLoopAsync(concurrency, _phase, recorder, (t, _) => call(recorder, t));
            results.Add((name, recorder.Summary("read")));
        }
        var grpcRate = results[2].Summary.PerSecond;
        var table = new TextTable("path (GetProgramme)", "ok/s", "p50 ms", "p95 ms", "p99 ms", "errors", "throughput ÷ gRPC direct");
        foreach (var (name, s) in results)
        {
            table.Add(name, s.PerSecond, s.P50, s.P95, s.P99, s.ErrorText, s.PerSecond / grpcRate);
        }
        var gateway = results[0].Summary;
        var rest = results[1].Summary;
        _headline["b1.gateway_rps"] = gateway.PerSecond;
        _headline["b1.rest_rps"] = rest.PerSecond;
        _headline["b1.grpc_rps"] = grpcRate;
        _headline["b1.added_p99"] = gateway.P99 - rest.P99;
        var notes = Invariant($"""
            Ratios: gateway REST ÷ direct REST = {gateway.PerSecond / rest.PerSecond:0.00}; direct REST ÷ direct gRPC = {rest.PerSecond / grpcRate:0.00}; gateway REST ÷ direct gRPC = {gateway.PerSecond / grpcRate:0.00}.
            Added latency of the gateway hop (gateway REST − direct REST): p50 {gateway.P50 - rest.P50:+0.00;-0.00} ms, p99 {gateway.P99 - rest.P99:+0.00;-0.00} ms.
            """);
        return Section("B1 — the same read three ways", $"`GetProgramme` of one programme, closed loop, {concurrency} callers, {_phase.TotalSeconds:0} s each (after 1 s warm-up). Direct calls carry a token signed with the suite's gateway key, as the gateway signs them.", table, notes);
    }

    // ----- B2: the full write path -----

    private async Task<(string Markdown, Dictionary<string, double> MemoryUnderLoad)> B2Async()
    {
        var memory = new Dictionary<string, double>(StringComparer.Ordinal);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                foreach (var (name, rss) in SampleMemory())
                {
                    memory[name] = Math.Max(memory.GetValueOrDefault(name), double.IsNaN(rss) ? 0 : rss);
                }
                try
                {
                    await Task.Delay(1000, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        // Warm-up (JIT, connection pools, caches, grain activations), not recorded.
        Console.WriteLine($"B2: warm-up, 8 callers, {_phase.TotalSeconds:0} s…");
        await Driver.ClosedLoopAsync(8, _phase, new Recorder(), (t, ct) => _workload.ReportAsync(new Recorder(), t, null, ct));
        await _workload.WaitCoordinatorAsync(_workload.TotalReportedUnits, TimeSpan.FromMinutes(2), CancellationToken.None);

        int[] steps = _quick ? [4, 16] : [4, 8, 16, 32, 64, 128];
        var ramp = new TextTable("callers", "acked reports/s", "ack p50 ms", "ack p99 ms", "coordinator caught up after s", "full-path reports/s", "errors");
        double best = 0;
        var bestCallers = steps[0];
        var stepsRun = 0;
        foreach (var callers in steps)
        {
            Console.WriteLine($"B2: closed loop, {callers} callers, {_phase.TotalSeconds:0} s…");
            var recorder = new Recorder();
            var watch = Stopwatch.StartNew();
            await Driver.ClosedLoopAsync(callers, _phase, recorder, (t, ct) => _workload.ReportAsync(recorder, t, null, ct));
            var loadTime = recorder.Elapsed;
            var (waited, produced) = await _workload.WaitCoordinatorAsync(_workload.TotalReportedUnits, TimeSpan.FromMinutes(2), CancellationToken.None);
            var s = recorder.Summary(Workload.Report);
            var full = s.Ok / (loadTime + waited).TotalSeconds;
            var caughtUp = produced >= _workload.TotalReportedUnits;
            ramp.Add(callers, s.PerSecond, s.P50, s.P99, caughtUp ? waited.TotalSeconds : double.NaN, caughtUp ? full : double.NaN, s.ErrorText);
            stepsRun++;
            var growing = full > best * 1.05;
            if (caughtUp && full > best)
            {
                best = full;
                bestCallers = callers;
            }
            if (stepsRun >= 3 && !growing)
            {
                break;
            }
        }
        _headline["b2.saturation"] = best;

        // p99 at half the saturation rate, open loop.
        var rate = Math.Max(1, best / 2);
        var openDuration = _quick ? _phase : _phase * 2;
        Console.WriteLine($"B2: open loop at {rate:0.0} reports/s for {openDuration.TotalSeconds:0} s…");
        var open = new Recorder();
        await Driver.OpenLoopAsync(rate, openDuration, open, (t, ct) => _workload.ReportAsync(open, t, null, ct));
        var (lag, _) = await _workload.WaitCoordinatorAsync(_workload.TotalReportedUnits, TimeSpan.FromMinutes(2), CancellationToken.None);
        var half = open.Summary(Workload.Report);
        _headline["b2.half_p99"] = half.P99;
        await sampling.CancelAsync();
        await sampler;

        // PostgreSQL's own commit rate, same server, same client count.
        Console.WriteLine($"B2: pgbench -N with {bestCallers} clients…");
        var server = await PostgresServer.GetAsync();
        var scratch = await server.CreateDatabaseAsync("pgbench_scratch");
        await Pgbench.InitialiseAsync(scratch);
        var pg = await Pgbench.RunNAsync(scratch, bestCallers, _phase);
        var pg1 = await Pgbench.RunNAsync(scratch, 1, _quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5));
        _pgbenchOne = pg1;
        _headline["b2.pgbench_tps"] = pg.Tps;

        var summary = new TextTable("figure", "value");
        summary.Add("saturation: full-path reports/s (closed loop)", best);
        summary.Add("callers at saturation", bestCallers);
        summary.Add(Invariant($"open loop at 50 % ({rate:0.0} reports/s): achieved ok/s"), half.PerSecond);
        summary.Add("  ack latency p50 / p95 / p99 ms", Invariant($"{half.P50:0.0} / {half.P95:0.0} / {half.P99:0.0}"));
        summary.Add("  errors", half.ErrorText);
        summary.Add("  coordinator caught up after the phase, s", lag.TotalSeconds);
        summary.Add(Invariant($"pgbench -N, {bestCallers} clients: tps"), pg.Tps);
        summary.Add("pgbench -N latency average ms", pg.LatencyMs);
        summary.Add("ratio: suite reports/s ÷ pgbench -N tps", best / pg.Tps);
        _headline["b2.ratio"] = best / pg.Tps;
        var text = $"""
            Each report: `POST /api/v1/output-reports` through the gateway (API key) → production checks the programme and trainee (participants), stores it PENDING, calls materials `ConsumeForOutput` (committed in materials' database), marks it RECORDED with the coordinator's outbox row in one transaction; the relay then calls the coordinator's `ApplyOutputRecorded`, which persists the trainee grain in PostgreSQL. A step's full-path rate is its acknowledged reports ÷ (phase + time until the coordinator's progress counted every acknowledged unit). The ramp stops when the full-path rate grows less than 5 %.

            {ramp.ToMarkdown()}
            {summary.ToMarkdown()}
            """;
        Console.Write(ramp.ToText());
        Console.Write(summary.ToText());
        return (Section("B2 — the full write path of an output report", text, null, null), memory);
    }

    private Pgbench.Result? _pgbenchOne;

    // ----- Where the time goes: each hop alone, one caller -----

    private async Task<string> BreakdownAsync()
    {
        var duration = _quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5);
        var operatorToken = _target.Token("bench-operator", "operator", "integrator");
        var serviceToken = _target.Token("bench-service", "service");
        var operatorHeaders = _target.Bearer(operatorToken);
        var serviceHeaders = _target.Bearer(serviceToken);
        var production = new ProductionService.ProductionServiceClient(_target.Channel("production"));
        var materials = new MaterialsInternalService.MaterialsInternalServiceClient(_target.Channel("materials"));
        var quota = new QuotaInternalService.QuotaInternalServiceClient(_target.Channel("coordinator"));
        var participants = new ParticipantsService.ParticipantsServiceClient(_target.Channel("participants"));
        using var direct = _target.DirectRest("participants", operatorToken);
        var trainees = _world.Trainees.ToArray();
        var programmeId = _world.Programmes[0].ProgrammeId;

        async Task<OperationSummary> Measure(string name, Func<Recorder, long, Task> call)
        {
            Console.WriteLine($"Breakdown: {name}, 1 caller, {duration.TotalSeconds:0} s…");
            await Driver.ClosedLoopAsync(1, TimeSpan.FromSeconds(0.5), new Recorder(), (t, _) => call(new Recorder(), t));
            var recorder = new Recorder();
            await Driver.ClosedLoopAsync(1, duration, recorder, (t, _) => call(recorder, t));
            return recorder.Summaries().FirstOrDefault() ?? recorder.Summary("x");
        }

        (SeededProgramme P, string T, Google.Type.Date Day) Pick()
        {
            var (p, t) = trainees[Random.Shared.Next(trainees.Length)];
            var day = p.Days[Random.Shared.Next(p.Days.Count)];
            return (p, t, new Google.Type.Date { Year = day.Year, Month = day.Month, Day = day.Day });
        }

        var viaGateway = await Measure("ReportOutput via gateway", (r, t) => _workload.ReportAsync(r, t, null, CancellationToken.None));
        var reportDirect = await Measure("ReportOutput gRPC direct", (r, t) =>
        {
            var (p, trainee, day) = Pick();
            return r.TimeAsync("x", t, () => production.ReportOutputAsync(new ReportOutputRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                ProgrammeId = p.ProgrammeId,
                TraineeId = trainee,
                ProductCode = _world.ProductCode,
                Day = day,
                Units = 1,
            }, operatorHeaders).ResponseAsync);
        });
        var consume = await Measure("ConsumeForOutput gRPC direct", (r, t) =>
        {
            var (p, trainee, _) = Pick();
            var reportId = Guid.NewGuid().ToString();
            return r.TimeAsync("x", t, () => materials.ConsumeForOutputAsync(new ConsumeForOutputRequest
            {
                RequestId = reportId,
                ReportId = reportId,
                TraineeId = trainee,
                ProgrammeId = p.ProgrammeId,
                ProductId = _world.ProductId,
                Units = 1,
            }, serviceHeaders).ResponseAsync);
        });
        var apply = await Measure("ApplyOutputRecorded gRPC direct", (r, t) =>
        {
            var (p, trainee, day) = Pick();
            return r.TimeAsync("x", t, () => quota.ApplyOutputRecordedAsync(new ApplyOutputRecordedRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                ReportId = Guid.NewGuid().ToString(),
                ProgrammeId = p.ProgrammeId,
                TraineeId = trainee,
                Day = day,
                Units = 1,
            }, serviceHeaders).ResponseAsync);
        });
        var readGateway = await Measure("GetProgramme via gateway", (r, t) => r.TimeAsync("x", t, () => _target.Gateway.GetJsonAsync($"/api/v1/programmes/{programmeId}")));
        var readDirect = await Measure("GetProgramme REST direct", (r, t) => r.TimeAsync("x", t, () => direct.GetJsonAsync($"/api/v1/programmes/{programmeId}")));
        var readGrpc = await Measure("GetProgramme gRPC direct", (r, t) => r.TimeAsync("x", t, () =>
            participants.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programmeId }, operatorHeaders).ResponseAsync));

        var table = new TextTable("hop (1 caller, each alone)", "p50 ms", "p99 ms", "calls/s", "errors");
        table.Add("output report, REST via gateway (the acknowledged write)", viaGateway.P50, viaGateway.P99, viaGateway.PerSecond, viaGateway.ErrorText);
        table.Add("production ReportOutput, gRPC direct (checks + 2 commits + materials call)", reportDirect.P50, reportDirect.P99, reportDirect.PerSecond, reportDirect.ErrorText);
        table.Add("materials ConsumeForOutput, gRPC direct (1 commit)", consume.P50, consume.P99, consume.PerSecond, consume.ErrorText);
        table.Add("coordinator ApplyOutputRecorded, gRPC direct (grain write)", apply.P50, apply.P99, apply.PerSecond, apply.ErrorText);
        table.Add("PostgreSQL commit: pgbench -N, 1 client (latency average)", _pgbenchOne?.LatencyMs ?? double.NaN, double.NaN, _pgbenchOne?.Tps ?? double.NaN, "-");
        table.Add("read GetProgramme, REST via gateway", readGateway.P50, readGateway.P99, readGateway.PerSecond, readGateway.ErrorText);
        table.Add("read GetProgramme, REST direct", readDirect.P50, readDirect.P99, readDirect.PerSecond, readDirect.ErrorText);
        table.Add("read GetProgramme, gRPC direct", readGrpc.P50, readGrpc.P99, readGrpc.PerSecond, readGrpc.ErrorText);

        var derived = new TextTable("where the acknowledged write's time goes (p50, derived)", "ms", "share");
        var whole = viaGateway.P50;
        var gatewayPart = Math.Max(0, viaGateway.P50 - reportDirect.P50);
        var materialsPart = Math.Min(consume.P50, reportDirect.P50);
        var productionPart = Math.Max(0, reportDirect.P50 - materialsPart);
        derived.Add("gateway hop (REST via gateway − gRPC direct to production)", gatewayPart, Share(gatewayPart, whole));
        derived.Add("materials: ConsumeForOutput round trip", materialsPart, Share(materialsPart, whole));
        derived.Add("production itself: participants check, PENDING insert, RECORDED + outbox commit", productionPart, Share(productionPart, whole));
        derived.Add("(after the ack) coordinator ApplyOutputRecorded via the outbox relay", apply.P50, "async");
        derived.Add("(reference) one PostgreSQL commit, pgbench -N 1 client", _pgbenchOne?.LatencyMs ?? double.NaN, "-");
        _headline["breakdown.gateway"] = gatewayPart;
        _headline["breakdown.materials"] = materialsPart;
        _headline["breakdown.production"] = productionPart;
        Console.Write(table.ToText());
        Console.Write(derived.ToText());
        var text = $"""
            Each hop measured alone with one caller (no queueing), {duration.TotalSeconds:0} s each, on the same suite after B2. The write acknowledged to the caller ends when production has committed RECORDED and its outbox row; the coordinator's grain update follows asynchronously (its lag under load is in B2).

            {table.ToMarkdown()}
            {derived.ToMarkdown()}
            """;
        return Section("Write path — where the time goes", text, null, null);
    }

    // ----- What a report and a read cost, counted -----

    private async Task<string> CostAsync()
    {
        var server = await PostgresServer.GetAsync();
        var meter = await CostMeter.CreateAsync(server.AdminConnectionString, _suite.ConnectionStrings,
            () => _suite.Processes.ToDictionary(p => p.Name, p => (p.ProcessId, p.RestAddress), StringComparer.Ordinal));
        const int reportCallers = 4;
        Console.WriteLine($"Cost: output reports through the gateway, {reportCallers} callers, {_phase.TotalSeconds:0} s, then until the coordinator caught up…");
        var before = await meter.SnapshotAsync();
        var recorder = new Recorder();
        await Driver.ClosedLoopAsync(reportCallers, _phase, recorder, (t, ct) => _workload.ReportAsync(recorder, t, null, ct));
        await _workload.WaitCoordinatorAsync(_workload.TotalReportedUnits, TimeSpan.FromMinutes(2), CancellationToken.None);
        // The relay marks a row delivered just after the coordinator answered: give the last ones a moment.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = await meter.SnapshotAsync();
        var reports = recorder.Summary(Workload.Report).Ok;

        var programmeId = _world.Programmes[0].ProgrammeId;
        const int readCallers = 16;
        Console.WriteLine($"Cost: GetProgramme through the gateway, {readCallers} callers, {_phase.TotalSeconds:0} s…");
        var readBefore = await meter.SnapshotAsync();
        var reads = new Recorder();
        await Driver.ClosedLoopAsync(readCallers, _phase, reads, (t, _) => reads.TimeAsync("read", t, () => _target.Gateway.GetJsonAsync($"/api/v1/programmes/{programmeId}")));
        var readAfter = await meter.SnapshotAsync();
        var readCount = reads.Summary("read").Ok;

        var services = _suite.ConnectionStrings.Keys.Order(StringComparer.Ordinal).ToList();
        var perDatabase = new TextTable("database", "statements per report", "of which BEGIN / COMMIT", "commits per report", "statements per GetProgramme");
        foreach (var service in services)
        {
            var statements = Delta(before.Statements, after.Statements, service, _ => true);
            var control = Delta(before.Statements, after.Statements, service, IsTransactionControl);
            var commits = after.Commits.GetValueOrDefault(service) - before.Commits.GetValueOrDefault(service);
            var readStatements = Delta(readBefore.Statements, readAfter.Statements, service, _ => true);
            perDatabase.Add(service, meter.CountsStatements ? statements / (double)reports : double.NaN,
                meter.CountsStatements ? control / (double)reports : double.NaN, commits / (double)reports,
                meter.CountsStatements ? readStatements / (double)readCount : double.NaN);
            _headline[$"cost.statements.{service}"] = statements / (double)reports;
        }

        var cpu = new TextTable("process", "CPU ms per report", "CPU ms per GetProgramme");
        double totalReport = 0, totalRead = 0;
        foreach (var name in after.CpuSeconds.Keys)
        {
            var report = (after.CpuSeconds[name] - before.CpuSeconds.GetValueOrDefault(name)) * 1000 / reports;
            var read = (readAfter.CpuSeconds.GetValueOrDefault(name) - readBefore.CpuSeconds.GetValueOrDefault(name)) * 1000 / readCount;
            cpu.Add(name, report, read);
            totalReport += report;
            totalRead += read;
        }
        cpu.Add("total", totalReport, totalRead);
        _headline["cost.cpu_per_report"] = totalReport;
        _headline["cost.cpu_per_read"] = totalRead;

        var allocations = new TextTable("process", "KiB allocated per report", "collections per 1,000 reports (gen0 / gen1 / gen2)",
            "GC pause ms per 1,000 reports", "KiB allocated per GetProgramme");
        long reportBytes = 0, readBytes = 0;
        foreach (var (name, last) in after.Runtime)
        {
            var first = before.Runtime.GetValueOrDefault(name) ?? last;
            var report = (last.AllocatedBytes - first.AllocatedBytes) / 1024.0 / reports;
            var readDelta = readAfter.Runtime.TryGetValue(name, out var readLast) && readBefore.Runtime.TryGetValue(name, out var readFirst)
                ? readLast.AllocatedBytes - readFirst.AllocatedBytes
                : (long?)null;
            var read = readDelta is { } bytes ? bytes / 1024.0 / readCount : double.NaN;
            var perThousand = 1000.0 / reports;
            allocations.Add(name, report,
                string.Create(CultureInfo.InvariantCulture,
                    $"{(last.Gen0Collections - first.Gen0Collections) * perThousand:0.#} / {(last.Gen1Collections - first.Gen1Collections) * perThousand:0.#} / {(last.Gen2Collections - first.Gen2Collections) * perThousand:0.#}"),
                (last.PauseMs - first.PauseMs) * perThousand, read);
            reportBytes += last.AllocatedBytes - first.AllocatedBytes;
            readBytes += readDelta ?? 0;
        }
        allocations.Add("total", reportBytes / 1024.0 / reports, "", double.NaN, readBytes / 1024.0 / readCount);
        _headline["cost.kib_per_report"] = reportBytes / 1024.0 / reports;

        var top = new TextTable("database", "statement (normalised by pg_stat_statements)", "per report");
        foreach (var ((service, query), calls) in after.Statements
            .Select(s => (s.Key, Calls: s.Value - before.Statements.GetValueOrDefault(s.Key)))
            .Where(s => s.Calls > 0 && s.Key.Service is "production" or "materials" or "participants" or "orleans" or "coordinator")
            .OrderBy(s => s.Key.Service, StringComparer.Ordinal).ThenByDescending(s => s.Calls))
        {
            var perReport = calls / (double)reports;
            if (perReport >= 0.05)
            {
                top.Add(service, "`" + query.Replace("|", "\\|", StringComparison.Ordinal) + "`", perReport);
            }
        }
        Console.Write(perDatabase.ToText());
        Console.Write(cpu.ToText());
        Console.Write(allocations.ToText());
        var text = $"""
            Counted, not timed, so these hold on a busy machine. {reports} output reports through the gateway ({reportCallers} callers, {_phase.TotalSeconds:0} s, counted until the coordinator had applied every one, outbox relays included), then {readCount} `GetProgramme` reads through the gateway ({readCallers} callers). Statements are PostgreSQL's `pg_stat_statements` calls per database (BEGIN and COMMIT included; one round trip each unless the service batches them); commits are `pg_stat_database.xact_commit`. CPU is utime + stime from `/proc/<pid>/stat` over the phase, PostgreSQL's backends included, divided by the requests acknowledged. gRPC calls per report (from the code): gateway → production 1, production → participants 1, production → materials 1 (the product lookup is cached), production's relay → coordinator 1.

            {perDatabase.ToMarkdown()}
            {cpu.ToMarkdown()}
            Allocations are each .NET process's `GC.GetTotalAllocatedBytes` and collection counts over the same phases (its `/debug/runtime`, on in the bench's suite only), the bench client's own included:

            {allocations.ToMarkdown()}
            Statements per report in the write path's databases (≥ 0.05 per report):

            {top.ToMarkdown()}
            """;
        return Section("Cost per request — statements, commits, CPU and allocations", text, null, null);
    }

    private static bool IsTransactionControl(string query) =>
        query.StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase) || query.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase)
        || query.StartsWith("ROLLBACK", StringComparison.OrdinalIgnoreCase) || query.StartsWith("START TRANSACTION", StringComparison.OrdinalIgnoreCase);

    private static long Delta(IReadOnlyDictionary<(string Service, string Query), long> before, IReadOnlyDictionary<(string Service, string Query), long> after,
        string service, Func<string, bool> which) =>
        after.Where(s => s.Key.Service == service && which(s.Key.Query)).Sum(s => s.Value - before.GetValueOrDefault(s.Key));

    private static string Share(double part, double whole) => whole > 0 ? Invariant($"{part / whole * 100:0} %") : "-";

    // ----- B3: quota effects per second in the coordinator -----

    private async Task<string> B3Async()
    {
        var callers = _quick ? 8 : 16;
        var headers = _target.Bearer(_target.Token("bench-service", "service"));
        var quota = new QuotaInternalService.QuotaInternalServiceClient(_target.Channel("coordinator"));
        var trainees = _world.Trainees.ToArray();
        var hot = trainees[0];
        var table = new TextTable("ApplyOutputRecorded", "trainees", "effects/s", "p50 ms", "p95 ms", "p99 ms", "errors");
        foreach (var (name, spread) in new[] { ("spread over many trainees", true), ("one hot trainee", false) })
        {
            Console.WriteLine($"B3: {name}, {callers} callers, {_phase.TotalSeconds:0} s…");
            var recorder = new Recorder();
            await Driver.ClosedLoopAsync(callers, _phase, recorder, (t, _) =>
            {
                var (p, trainee) = spread ? trainees[Random.Shared.Next(trainees.Length)] : hot;
                var day = p.Days[Random.Shared.Next(p.Days.Count)];
                return recorder.TimeAsync("apply", t, () => quota.ApplyOutputRecordedAsync(new ApplyOutputRecordedRequest
                {
                    RequestId = Guid.NewGuid().ToString(),
                    ReportId = Guid.NewGuid().ToString(),
                    ProgrammeId = p.ProgrammeId,
                    TraineeId = trainee,
                    Day = new Google.Type.Date { Year = day.Year, Month = day.Month, Day = day.Day },
                    Units = 1,
                }, headers).ResponseAsync);
            });
            var s = recorder.Summary("apply");
            table.Add(name, spread ? trainees.Length : 1, s.PerSecond, s.P50, s.P95, s.P99, s.ErrorText);
            _headline[spread ? "b3.spread" : "b3.hot"] = s.PerSecond;
        }
        return Section("B3 — quota effects applied per second by the coordinator",
            $"The coordinator's internal `ApplyOutputRecorded` over gRPC with a service token, closed loop, {callers} callers, {_phase.TotalSeconds:0} s each; every effect is deduplicated on its request_id and persisted with the trainee grain's state in PostgreSQL before the answer.",
            table, null);
    }

    // ----- B4: time to ready, memory -----

    private string B4(TimeSpan startElapsed, IReadOnlyDictionary<string, double> readyAfter, IReadOnlyDictionary<string, double> atStart,
        IReadOnlyDictionary<string, double> atRest, IReadOnlyDictionary<string, double> pssAtRest, IReadOnlyDictionary<string, double> underLoad,
        AppHostProbe.Result? apphost, bool apphostRequested)
    {
        var ready = new TextTable("suite launcher (tests/Bimtek.Suite)", "seconds");
        ready.Add("command start → every /readyz green (includes starting PostgreSQL and creating the databases)", startElapsed.TotalSeconds);
        foreach (var (name, seconds) in readyAfter)
        {
            ready.Add($"  {name} /readyz green, after the processes were started", seconds);
        }
        _headline["b4.launcher"] = startElapsed.TotalSeconds;
        // VmRSS counts every page a process maps, also the runtime's and the framework's files it shares with the
        // other processes; PSS splits each shared page among the processes that map it, so its total is what the
        // suite costs the machine.
        var memory = new TextTable("process (VmRSS MiB; PSS at rest)", "pid", "after start", "at rest after setup", "max under B2", "PSS at rest");
        foreach (var process in _suite.Processes)
        {
            memory.Add(process.Name, process.ProcessId, atStart.GetValueOrDefault(process.Name, double.NaN),
                atRest.GetValueOrDefault(process.Name, double.NaN), underLoad.GetValueOrDefault(process.Name, double.NaN),
                pssAtRest.GetValueOrDefault(process.Name, double.NaN));
        }
        memory.Add("total", "", atStart.Values.Sum(), atRest.Values.Sum(), underLoad.Values.Sum(), pssAtRest.Values.Sum());
        // Issue 19 set its memory target on the six processes the suite had then (before identity and notifications).
        string[] six = ["participants", "materials", "production", "distribution", "coordinator", "gateway"];
        double Six(IReadOnlyDictionary<string, double> sample) => six.Sum(name => sample.GetValueOrDefault(name, 0));
        memory.Add("the six of issue 19 (no identity, notifications)", "", Six(atStart), Six(atRest), Six(underLoad), Six(pssAtRest));
        _headline["b4.rss_six_at_rest"] = Six(atRest);
        var text = new StringBuilder();
        text.AppendLine(ready.ToMarkdown());
        if (apphost is not null)
        {
            var table = new TextTable("AppHost (`dotnet run --no-build --project deploy/AppHost -- --Bimtek:Postgres …`)", "seconds");
            table.Add(apphost.Outcome, apphost.Elapsed.TotalSeconds);
            foreach (var (name, seconds) in apphost.ReadyAfter)
            {
                table.Add($"  {name} /readyz green", seconds);
            }
            text.AppendLine(table.ToMarkdown());
            if (apphost.Memory.Count > 0)
            {
                var rss = new TextTable("AppHost-run process (VmRSS MiB at ready)", "MiB");
                foreach (var (name, mib) in apphost.Memory)
                {
                    rss.Add(name, mib);
                }
                text.AppendLine(rss.ToMarkdown());
            }
            Console.Write(table.ToText());
            if (apphost.ReadyAfter.Count == 7 || apphost.Outcome.StartsWith("every", StringComparison.Ordinal))
            {
                _headline["b4.apphost"] = apphost.Elapsed.TotalSeconds;
            }
        }
        else
        {
            text.AppendLine(apphostRequested ? "AppHost run: not measured." : "AppHost run: skipped (--quick or --no-apphost).");
            text.AppendLine();
        }
        text.AppendLine(memory.ToMarkdown());
        Console.Write(ready.ToText());
        Console.Write(memory.ToText());
        return Section("B4 — time to ready and memory", text.ToString(), null, null);
    }

    private Dictionary<string, double> SampleMemory() =>
        _suite.Processes.ToDictionary(p => p.Name, p => Machine.RssMiB(p.ProcessId), StringComparer.Ordinal);

    // ----- BENCHMARKS.md -----

    private void WriteHeader(string command, DateTimeOffset started, string loadAtStart, string loadAtEnd, TimeSpan elapsed, int programmes, int trainees, TimeSpan setup)
    {
        var headline = new TextTable("headline", "value");
        headline.Add("B1 GetProgramme ok/s: gateway REST / direct REST / direct gRPC (16 callers)",
            Invariant($"{_headline.GetValueOrDefault("b1.gateway_rps"):0} / {_headline.GetValueOrDefault("b1.rest_rps"):0} / {_headline.GetValueOrDefault("b1.grpc_rps"):0}"));
        headline.Add("B1 p99 added by the gateway hop, ms", _headline.GetValueOrDefault("b1.added_p99"));
        headline.Add("B2 output reports/s at saturation, full path", _headline.GetValueOrDefault("b2.saturation"));
        headline.Add("B2 ack p99 at 50 % of saturation, ms", _headline.GetValueOrDefault("b2.half_p99"));
        headline.Add("B2 pgbench -N tps, same clients, same server", _headline.GetValueOrDefault("b2.pgbench_tps"));
        headline.Add("B2 ratio reports/s ÷ pgbench tps", _headline.GetValueOrDefault("b2.ratio"));
        headline.Add("B3 quota effects/s: spread / one hot trainee",
            Invariant($"{_headline.GetValueOrDefault("b3.spread"):0} / {_headline.GetValueOrDefault("b3.hot"):0}"));
        headline.Add("B4 suite launcher: command → all /readyz green, s", _headline.GetValueOrDefault("b4.launcher"));
        headline.Add("statements per output report: production / materials / participants",
            Invariant($"{_headline.GetValueOrDefault("cost.statements.production"):0.0} / {_headline.GetValueOrDefault("cost.statements.materials"):0.0} / {_headline.GetValueOrDefault("cost.statements.participants"):0.0}"));
        headline.Add("CPU ms per output report, all processes and PostgreSQL", _headline.GetValueOrDefault("cost.cpu_per_report"));
        headline.Add("KiB allocated per output report, all .NET processes", _headline.GetValueOrDefault("cost.kib_per_report"));
        headline.Add("CPU ms per GetProgramme through the gateway, all processes", _headline.GetValueOrDefault("cost.cpu_per_read"));
        headline.Add("B4 resident memory at rest, the six processes of issue 19 (VmRSS), MiB", _headline.GetValueOrDefault("b4.rss_six_at_rest"));
        if (_headline.TryGetValue("b4.apphost", out var apphost))
        {
            headline.Add("B4 AppHost: command → all /readyz green, s", apphost);
        }
        _markdown.Insert(0, $"""
            # Benchmarks

            Generated by `{command}` on {started:yyyy-MM-dd} at {started:HH:mm} UTC ({(_quick ? "quick smoke run: short phases, figures are rough" : "full run")}, {elapsed.TotalMinutes:0.0} min).

            Everything runs on one machine: the load generator, PostgreSQL and every process share its cores, so the client's own CPU use lowers every figure. Anything else running at the time shows in the load averages below; compare ratios measured in the same run rather than absolute numbers.

            | machine | |
            |---|---|
            | CPU | {Machine.Cpu()} |
            | memory | {Machine.Memory()} |
            | OS | {Machine.OperatingSystem()} |
            | .NET | {Machine.Dotnet()} |
            | load average (1/5/15 min) at start | {loadAtStart} |
            | load average at end | {loadAtEnd} |
            | PostgreSQL | local server from the machine's binaries (tests/Bimtek.Testing PostgresServer) with fsync, synchronous_commit and full_page_writes ON; one database per service plus one for Orleans grain state |
            | suite | Release build, every service and the gateway a separate `dotnet` process on loopback (tests/Bimtek.Suite), one coordinator silo |
            | data | {programmes} programmes, {trainees} trainees registered, enrolled and given kits through the gateway before the measurements ({setup.TotalSeconds:0} s) |

            {headline.ToMarkdown()}

            """);
        Console.Write(headline.ToText());
    }

    private string Caveats() => """
        ## Caveats

        - Load generator, PostgreSQL and all six processes share the same cores: the client's own CPU use lowers every throughput figure, most of all the cheap reads of B1.
        - B2's full-path rate counts a report once the coordinator's progress shows its units; output reports acknowledged PENDING (materials unreachable) would be finished later by production's reconciler and would lengthen the catch-up time.
        - B3 and the breakdown add synthetic effects and consumptions to the seeded programmes after B2 has been measured (B2's counts are taken before).
        - pgbench -N runs on a scratch database of the same server after the suite's load, with the client count at which B2 saturated.

        """;

    private static string Section(string title, string intro, TextTable? table, string? notes)
    {
        var text = new StringBuilder();
        text.AppendLine($"## {title}");
        text.AppendLine();
        text.AppendLine(intro.Trim());
        text.AppendLine();
        if (table is not null)
        {
            text.AppendLine(table.ToMarkdown());
            Console.Write(table.ToText());
        }
        if (notes is not null)
        {
            text.AppendLine(notes.Trim());
            text.AppendLine();
            Console.WriteLine(notes.Trim());
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
            {
                return directory.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
