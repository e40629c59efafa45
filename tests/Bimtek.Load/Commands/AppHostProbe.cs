using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Bimtek.Load.Measurement;
using Bimtek.Suite;
using Bimtek.Testing.Postgres;

namespace Bimtek.Load.Commands;

/// <summary>
/// B4 for the documented run command: <c>dotnet run --no-build --project deploy/AppHost -- --Bimtek:Postgres …</c>
/// against the benchmark's PostgreSQL server, timed until every service's and the gateway's /readyz answers
/// 200, with each process's VmRSS at that moment. Stopped with SIGTERM to the AppHost (the process this
/// probe started, found by pid in its own process tree); anything of that tree still alive after 30 s is killed
/// by pid. Skipped when the AppHost's fixed service ports are taken (another run on the machine).
/// </summary>
public static class AppHostProbe
{
    public sealed record Result(string Outcome, TimeSpan Elapsed, IReadOnlyList<(string Name, double Seconds)> ReadyAfter, IReadOnlyList<(string Name, double MiB)> Memory);

    /// <summary>The AppHost's fixed REST ports (deploy/AppHost/SuiteModel.cs), plus the Aspire dashboard.</summary>
    private static readonly (string Name, int Port)[] _services =
        [("participants", 5111), ("materials", 5112), ("production", 5113), ("distribution", 5114), ("coordinator", 5115)];

    private const int DashboardPort = 18888;

    public static async Task<Result> RunAsync(TextWriter log)
    {
        foreach (var port in _services.Select(s => s.Port).Append(DashboardPort).Concat(_services.Select(s => s.Port - 10)))
        {
            if (await ListeningAsync(port))
            {
                return new Result($"skipped: port {port} is in use (another AppHost on this machine?)", TimeSpan.Zero, [], []);
            }
        }
        var root = FindRoot();
        var ports = FreePorts.Take(2);
        var server = await PostgresServer.GetAsync();
        var data = Path.Combine(Path.GetTempPath(), "bimtek-bench-apphost-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var logPath = Path.Combine(data, "apphost.log");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "run", "--no-build", "--project", "deploy/AppHost", "--",
            "--Bimtek:Postgres", server.AdminConnectionString,
            "--Bimtek:DataDirectory", data,
            "--Bimtek:GatewayRestPort", ports[0].ToString(CultureInfo.InvariantCulture),
            "--Bimtek:GatewayGrpcPort", ports[1].ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }
        log.WriteLine($"B4: starting the AppHost (log {logPath})…");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet run did not start.");
        await using var writer = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var targets = _services.Select(s => (s.Name, Uri: new Uri($"http://127.0.0.1:{s.Port}/readyz"))).ToList();
        targets.Add(("gateway", new Uri($"http://127.0.0.1:{ports[0]}/readyz")));
        var ready = new List<(string, double)>();
        var memory = new List<(string, double)>();
        string outcome;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            var pending = targets.ToList();
            while (pending.Count > 0 && watch.Elapsed < TimeSpan.FromMinutes(3) && !process.HasExited)
            {
                foreach (var target in pending.ToList())
                {
                    try
                    {
                        using var response = await http.GetAsync(target.Uri);
                        if (response.IsSuccessStatusCode)
                        {
                            ready.Add((target.Name, watch.Elapsed.TotalSeconds));
                            pending.Remove(target);
                        }
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        // Not listening yet.
                    }
                }
                await Task.Delay(500);
            }
            var elapsed = watch.Elapsed;
            outcome = pending.Count == 0
                ? "every /readyz green after the command started (no build: --no-build)"
                : $"not ready within {elapsed.TotalSeconds:0} s: {string.Join(", ", pending.Select(p => p.Name))}{(process.HasExited ? $" (dotnet run exited {process.ExitCode})" : "")}";
            foreach (var (pid, commandLine) in Machine.Descendants(process.Id))
            {
                var name = targets.Select(t => t.Name).FirstOrDefault(n => commandLine.Contains("Bimtek." + char.ToUpperInvariant(n[0]) + n[1..], StringComparison.Ordinal));
                if (name is not null || commandLine.Contains("Bimtek.AppHost", StringComparison.Ordinal))
                {
                    memory.Add((name ?? "AppHost", Machine.RssMiB(pid)));
                }
            }
            log.WriteLine($"B4: AppHost {outcome} ({elapsed.TotalSeconds:0.0} s)");
            return new Result(outcome, elapsed, ready, memory);
        }
        finally
        {
            await StopAsync(process, log);
        }
    }

    /// <summary>SIGTERM to the AppHost of this tree, then to dotnet run; SIGKILL by pid to what is left after 30 s.</summary>
    private static async Task StopAsync(Process process, TextWriter log)
    {
        if (process.HasExited)
        {
            return;
        }
        var tree = Machine.Descendants(process.Id);
        var apphost = tree.Where(p => p.CommandLine.Contains("Bimtek.AppHost", StringComparison.Ordinal) && p.Pid != process.Id).Select(p => p.Pid).ToList();
        foreach (var pid in apphost.Append(process.Id))
        {
            await SignalAsync(pid, "TERM");
        }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            log.WriteLine("B4: the AppHost did not stop within 30 s after SIGTERM; killing its process tree by pid.");
        }
        await Task.Delay(2000);
        foreach (var (pid, _) in tree.Reverse())
        {
            if (File.Exists($"/proc/{pid}/status"))
            {
                await SignalAsync(pid, "KILL");
            }
        }
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false, RedirectStandardError = true });
        if (kill is not null)
        {
            await kill.WaitForExitAsync();
        }
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (writer)
        {
            try
            {
                writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after the probe finished.
            }
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("No Microservices.sln above the benchmark's binaries.");
    }
}
