namespace Bimtek.Data.Persistence;

/// <summary>
/// The version of what a service's database holds, as this process knows it: it grows after every write this process
/// commits (at once, before the writer's caller hears back) and, on PostgreSQL, when <see cref="DataChangeListener"/>
/// hears that another process committed one. <see cref="Complete"/> says whether every change reaches this process:
/// always on SQLite (one process owns the file), on PostgreSQL only while the listener is connected. A
/// <see cref="ReadCache{TKey, TValue}"/> trusts an entry only while the version it was read at is still current and
/// complete.
/// </summary>
public sealed class DataChanges
{
    private long _version;
    private volatile bool _complete;

    public DataChanges(bool complete) => _complete = complete;

    public long Version => Interlocked.Read(ref _version);

    public bool Complete => _complete;

    /// <summary>Something was written: every entry read before now is stale.</summary>
    public void Changed() => Interlocked.Increment(ref _version);

    /// <summary>Changes of other processes no longer reach this one (the listener lost its connection).</summary>
    public void Incomplete()
    {
        _complete = false;
        Changed();
    }

    /// <summary>Changes of other processes reach this one again; what was read while they did not is stale.</summary>
    public void Completed()
    {
        Changed();
        _complete = true;
    }
}
