using System.Diagnostics;

namespace Bimtek.Load.Measurement;

/// <summary>
/// Runs an operation for a fixed time either closed loop (N workers, each starts its next call when the last
/// ends) or open loop (calls start at a fixed rate whatever the answers; latency counts from the scheduled
/// start, so a slow server cannot hide queueing). The operation records its own outcome in a <see cref="Recorder"/>.
/// </summary>
public static class Driver
{
    /// <summary>Calls still running in open loop above which new arrivals are dropped (and counted).</summary>
    public const int MaxOutstanding = 4000;

    public static async Task ClosedLoopAsync(int concurrency, TimeSpan duration, Recorder recorder, Func<long, CancellationToken, Task> operation)
    {
        using var stop = new CancellationTokenSource(duration);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await operation(Stopwatch.GetTimestamp(), CancellationToken.None);
            }
        }));
        await Task.WhenAll(workers);
        recorder.Stop();
    }

    public static async Task OpenLoopAsync(double ratePerSecond, TimeSpan duration, Recorder recorder, Func<long, CancellationToken, Task> operation)
    {
        var interval = Stopwatch.Frequency / ratePerSecond;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var running = new List<Task>();
        var outstanding = 0;
        long issued = 0;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                break;
            }
            // Every arrival whose time has come, each stamped with its own scheduled time.
            var due = (long)((now - start) / interval) + 1;
            for (; issued < due; issued++)
            {
                var scheduled = start + (long)(issued * interval);
                if (Volatile.Read(ref outstanding) >= MaxOutstanding)
                {
                    recorder.Record("(dropped: client backlog)", TimeSpan.Zero, "backlog");
                    continue;
                }
                Interlocked.Increment(ref outstanding);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await operation(scheduled, CancellationToken.None);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref outstanding);
                    }
                }));
            }
            if (running.Count > 10_000)
            {
                running.RemoveAll(t => t.IsCompleted);
            }
            var next = start + (long)(issued * interval);
            var wait = (next - Stopwatch.GetTimestamp()) * 1000.0 / Stopwatch.Frequency;
            // Timer granularity only bunches arrivals: each keeps its own scheduled time.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(wait, 1, 50)));
        }
        recorder.Stop();
        await Task.WhenAll(running);
    }
}
