using System.Collections.Concurrent;

namespace Bimtek.Identity.Application;

/// <summary>
/// Counts attempts per key (a person, an address) in a sliding window and says how long to wait once a key
/// has used up its allowance. In memory: one identity instance per deployment (say so before running more).
/// </summary>
public sealed class AttemptLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _attempts = new(StringComparer.Ordinal);

    /// <summary>Records an attempt and returns null, or returns the wait when <paramref name="limit"/> attempts already happened.</summary>
    public TimeSpan? TryAcquire(string key, int limit, TimeSpan window)
    {
        var now = time.GetUtcNow();
        var queue = _attempts.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            while (queue.Count > 0 && queue.Peek() <= now - window)
            {
                queue.Dequeue();
            }
            if (queue.Count >= limit)
            {
                var wait = queue.Peek() + window - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
            }
            queue.Enqueue(now);
            return null;
        }
    }

    /// <summary>Forgets a key's attempts (after a successful sign-in).</summary>
    public void Reset(string key) => _attempts.TryRemove(key, out _);
}
