using System.Diagnostics;

namespace Bimtek.Suite;

/// <summary>
/// One started service process (<c>dotnet Bimtek.X.dll</c>): its stdout and stderr go to a log file and a
/// ring of recent lines for failure messages. Disposing kills it (and only it) by the process it started.
/// </summary>
public sealed class SuiteProcess : IDisposable
{
    private const int RecentLineCount = 60;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _recent = new();
    private readonly Lock _gate = new();
    private readonly string _listeningLine;
    private volatile bool _listening;

    private SuiteProcess(string name, Uri restAddress, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        RestAddress = restAddress;
        _listeningLine = "Now listening on: " + restAddress.GetLeftPart(UriPartial.Authority);
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    /// <summary>The HTTP/1.1 endpoint that serves <c>/readyz</c>.</summary>
    public Uri RestAddress { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// True once this process has said it listens on <see cref="RestAddress"/> (Kestrel's "Now listening on"). Until then a
    /// <c>/readyz</c> answer on that port is someone else's: another suite started at the same moment may hold the port,
    /// and this process is about to exit with "Address already in use".
    /// </summary>
    public bool IsListening => _listening;

    /// <summary>Starts <paramref name="dllPath"/>; <paramref name="appendLog"/> keeps the earlier log (a restart).</summary>
    public static SuiteProcess Start(string name, string dllPath, Uri restAddress, IReadOnlyDictionary<string, string> environment, string logDirectory, bool appendLog = false)
    {
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException($"{name}: {dllPath} does not exist; build the solution (dotnet test builds the referenced service projects).", dllPath);
        }
        var start = new ProcessStartInfo(DotnetHost(), [dllPath])
        {
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Nothing from the test runner's environment may decide where a service listens or what it trusts.
        foreach (var key in start.Environment.Keys.Where(IsSuiteSetting).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var logPath = Path.Combine(logDirectory, name + ".log");
        var log = new StreamWriter(logPath, append: appendLog) { AutoFlush = true };
        if (appendLog)
        {
            log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} --- restarted ---");
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var suiteProcess = new SuiteProcess(name, restAddress, process, log, logPath);
        process.OutputDataReceived += (_, e) => suiteProcess.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => suiteProcess.Append("err", e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return suiteProcess;
    }

    /// <summary>The most recent output lines, for failure messages.</summary>
    public string RecentOutput()
    {
        lock (_gate)
        {
            return string.Join(Environment.NewLine, _recent);
        }
    }

    /// <summary>
    /// <c>kill -9</c>: <see cref="Process.Kill()"/> sends SIGKILL on Linux, so nothing in the process runs
    /// (no graceful shutdown, no relay hand-back, no deactivation). Returns once it has exited.
    /// </summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.WaitForExit(10_000);
    }

    public string Describe() =>
        $"--- {Name} (pid {_process.Id}{(_process.HasExited ? $", exited with {_process.ExitCode}" : "")}; log {LogPath}) ---{Environment.NewLine}{RecentOutput()}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void Append(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }
        if (!_listening && line.TrimEnd().EndsWith(_listeningLine, StringComparison.Ordinal))
        {
            _listening = true;
        }
        lock (_gate)
        {
            var stamped = $"{DateTime.UtcNow:HH:mm:ss.fff} {stream} {line}";
            try
            {
                _log.WriteLine(stamped);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            _recent.Enqueue(stamped);
            while (_recent.Count > RecentLineCount)
            {
                _recent.Dequeue();
            }
        }
    }

    private static bool IsSuiteSetting(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("services__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Gateway__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Database__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Orleans__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ReverseProxy__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase);

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
