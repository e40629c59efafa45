using System.Diagnostics;
using System.Globalization;
using Bimtek.Load.Measurement;
using Bimtek.Load.Setup;
using Bimtek.Suite;

namespace Bimtek.Load.Commands;

/// <summary>
/// <c>load</c>: sets up programmes and trainees, runs the mix for the duration at a fixed arrival rate (open
/// loop) or with a fixed number of callers (closed loop), prints throughput, latency percentiles and errors
/// by status per operation, and writes the acknowledged output reports to a file.
/// </summary>
public static class LoadCommand
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var duration = args.Duration("duration", TimeSpan.FromSeconds(60));
        var rate = args.Double("rate");
        var concurrency = args.Int("concurrency", rate is null ? 32 : 0);
        var programmes = args.Int("programmes", 10);
        var trainees = args.Int("trainees", 2000);
        var ackFile = args.Text("ack-file") ?? $"load-acknowledged-{DateTime.UtcNow:yyyyMMdd-HHmmss}.tsv";
        if (programmes < 1 || trainees < programmes)
        {
            Console.Error.WriteLine("Need at least one programme and one trainee per programme.");
            return 2;
        }

        SuiteProcesses? suite = null;
        Uri gateway;
        string apiKey;
        if (args.Text("gateway") is { } given)
        {
            gateway = new Uri(given);
            apiKey = args.Text("api-key") ?? throw new ArgumentException("--gateway needs --api-key.");
        }
        else
        {
            Console.WriteLine("Starting a local suite on PostgreSQL…");
            (suite, var elapsed, _) = await LocalSuite.StartAsync(Console.Out);
            Console.WriteLine($"Suite ready in {elapsed.TotalSeconds:0.0} s; gateway {suite.GatewayAddress}");
            gateway = suite.GatewayAddress;
            apiKey = suite.Secrets.ApiKey;
        }
        try
        {
            using var target = new Target(gateway, apiKey, suite);
            Console.WriteLine($"Setting up {programmes} programmes with {trainees} trainees…");
            var world = await new Seeder(target.Gateway, Console.Out).SeedAsync(programmes, trainees, CancellationToken.None);
            var workload = new Workload(target.Gateway, world);
            var recorder = new Recorder();
            var mode = rate is { } r ? $"open loop at {r:0.#} requests/s" : $"closed loop with {concurrency} callers";
            Console.WriteLine($"Running the mix for {duration.TotalSeconds:0} s, {mode}…");
            var watch = Stopwatch.StartNew();
            if (rate is { } perSecond)
            {
                await Driver.OpenLoopAsync(perSecond, duration, recorder, (t, ct) => workload.MixAsync(recorder, t, ct));
            }
            else
            {
                await Driver.ClosedLoopAsync(concurrency, duration, recorder, (t, ct) => workload.MixAsync(recorder, t, ct));
            }
            Console.WriteLine();
            Console.WriteLine($"Mix: {mode}, {duration.TotalSeconds:0} s, {world.Programmes.Count} programmes, {world.TraineeCount} trainees");
            Console.Write(TextTable.Of(recorder.Summaries()).ToText());
            var all = recorder.Summaries();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"total: {all.Sum(s => s.Ok)} ok, {all.Sum(s => s.Failed)} failed, {all.Sum(s => s.Ok) / recorder.Elapsed.TotalSeconds:0.0} ok/s over {watch.Elapsed.TotalSeconds:0.0} s"));
            await workload.WriteAcknowledgedAsync(ackFile);
            Console.WriteLine($"{workload.AcknowledgedReports.Count} acknowledged output reports ({workload.TotalReportedUnits} units) written to {Path.GetFullPath(ackFile)}");
            return all.Sum(s => s.Ok) > 0 ? 0 : 1;
        }
        finally
        {
            if (suite is not null)
            {
                await suite.DisposeAsync();
            }
        }
    }
}
