using System.Collections.Concurrent;

namespace Bimtek.Data.Persistence;

/// <summary>
/// Answers a read from memory while nothing was written since it was read (<see cref="DataChanges"/>): any committed
/// write of the service, this process's at once and another process's as soon as PostgreSQL's notification arrives,
/// makes every entry stale, so a read-mostly view (a programme, an enrolment check) costs no round trip between
/// writes and is never older than the last write this process has heard of. While changes may be missed (the
/// listener is reconnecting) nothing is kept or answered from memory. Values must not be changed by their readers.
/// </summary>
public sealed class ReadCache<TKey, TValue>(DataChanges changes, int capacity = 10_000)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();

    public async Task<TValue> GetOrLoadAsync(TKey key, Func<Task<TValue>> load)
    {
        // The version before the read: a write committed while the read runs leaves the entry already stale.
        var version = changes.Version;
        var complete = changes.Complete;
        if (complete && _entries.TryGetValue(key, out var entry) && entry.Version == version)
        {
            return entry.Value;
        }
        var value = await load();
        if (complete)
        {
            if (_entries.Count >= capacity)
            {
                // Many distinct keys: start again rather than grow without bound.
                _entries.Clear();
            }
            _entries[key] = new Entry(version, value);
        }
        return value;
    }

    private sealed record Entry(long Version, TValue Value);
}
