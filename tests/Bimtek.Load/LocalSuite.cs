using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bimtek.Suite;
using Bimtek.Testing.Hosting;

namespace Bimtek.Load;

/// <summary>
/// Starts the built suite (tests/Bimtek.Suite) on a local PostgreSQL with durable settings (fsync and
/// synchronous_commit on: a benchmark of commits with fsync off would measure nothing real) and records how
/// long each process took to answer /readyz.
/// </summary>
public static partial class LocalSuite
{
    public static Task<(SuiteProcesses Suite, TimeSpan Elapsed, IReadOnlyDictionary<string, double> ReadyAfter)> StartAsync(TextWriter log) =>
        StartAsync(log, SuiteOptions.Default);

    public static async Task<(SuiteProcesses Suite, TimeSpan Elapsed, IReadOnlyDictionary<string, double> ReadyAfter)> StartAsync(TextWriter log, SuiteOptions options)
    {
        Environment.SetEnvironmentVariable("BIMTEK_TEST_POSTGRES_DURABLE", "true");
        Environment.SetEnvironmentVariable("BIMTEK_TEST_POSTGRES_STATEMENTS", "true");
        var progress = new LineCapture(log);
        var watch = Stopwatch.StartNew();
        var suite = await SuiteProcesses.StartAsync(DatabaseKind.Postgres, progress, options);
        var elapsed = watch.Elapsed;
        var ready = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in progress.Lines)
        {
            if (ReadyLine().Match(line) is { Success: true } match)
            {
                ready[match.Groups[1].Value] = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        return (suite, elapsed, ready);
    }

    [GeneratedRegex(@"^(\w+) ready after ([0-9.]+) s")]
    private static partial Regex ReadyLine();

    /// <summary>Echoes lines to the log (indented) and keeps them.</summary>
    private sealed class LineCapture(TextWriter log) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public List<string> Lines { get; } = [];

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (Lines)
            {
                if (value != '\n')
                {
                    _line.Append(value);
                    return;
                }
                var line = _line.ToString().TrimEnd('\r');
                _line.Clear();
                Lines.Add(line);
                log.WriteLine("  " + line);
            }
        }
    }
}
