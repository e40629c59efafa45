using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Bimtek.Load.Measurement;

/// <summary>
/// Latencies and errors per operation, safe to record from many tasks. Latencies are kept whole (no
/// histogram buckets): a benchmark phase makes at most a few hundred thousand calls.
/// </summary>
public sealed class Recorder
{
    private readonly ConcurrentDictionary<string, OperationRecord> _operations = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _stoppedAt;

    public TimeSpan Elapsed => _stoppedAt ?? _clock.Elapsed;

    /// <summary>Freezes the elapsed time used for throughput (late completions are still recorded).</summary>
    public void Stop() => _stoppedAt ??= _clock.Elapsed;

    public void Record(string operation, TimeSpan latency, string? error)
    {
        var record = _operations.GetOrAdd(operation, _ => new OperationRecord());
        record.Add(latency.TotalMilliseconds, error);
    }

    /// <summary>Times <paramref name="call"/> from <paramref name="startTimestamp"/> (the scheduled start in open loop).</summary>
    public async Task<T?> TimeAsync<T>(string operation, long startTimestamp, Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            Record(operation, Stopwatch.GetElapsedTime(startTimestamp), null);
            return result;
        }
        catch (Exception exception) when (Errors.Classify(exception) is { } label)
        {
            Record(operation, Stopwatch.GetElapsedTime(startTimestamp), label);
            return default;
        }
    }

    public IReadOnlyList<OperationSummary> Summaries()
    {
        var seconds = Math.Max(Elapsed.TotalSeconds, 1e-9);
        return [.. _operations.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value.Summarise(o.Key, seconds))];
    }

    public OperationSummary Summary(string operation) =>
        Summaries().FirstOrDefault(s => s.Operation == operation) ?? new OperationSummary(operation, 0, 0, 0, 0, 0, 0, 0, new Dictionary<string, int>());

    private sealed class OperationRecord
    {
        private readonly Lock _gate = new();
        private readonly List<double> _latencies = [];
        private readonly Dictionary<string, int> _errors = new(StringComparer.Ordinal);

        public void Add(double milliseconds, string? error)
        {
            lock (_gate)
            {
                if (error is null)
                {
                    _latencies.Add(milliseconds);
                }
                else
                {
                    _errors[error] = _errors.GetValueOrDefault(error) + 1;
                }
            }
        }

        public OperationSummary Summarise(string name, double seconds)
        {
            lock (_gate)
            {
                var sorted = _latencies.ToArray();
                Array.Sort(sorted);
                return new OperationSummary(name, sorted.Length, _errors.Values.Sum(), sorted.Length / seconds,
                    Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99),
                    sorted.Length == 0 ? 0 : sorted.Average(), new Dictionary<string, int>(_errors));
            }
        }

        private static double Percentile(double[] sorted, double p) =>
            sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>One operation's figures: successes per second and success latency percentiles (ms).</summary>
public sealed record OperationSummary(
    string Operation, int Ok, int Failed, double PerSecond, double P50, double P95, double P99, double Mean,
    IReadOnlyDictionary<string, int> Errors)
{
    public string ErrorText => Errors.Count == 0
        ? "-"
        : string.Join(", ", Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} ×{e.Value.ToString(CultureInfo.InvariantCulture)}"));
}
