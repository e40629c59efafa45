namespace Bimtek.Coordinator.Grains.Domain;

/// <summary>
/// A programme's recent progress changes, so a watcher whose stream ended can resume where it left off. Rules:
/// <list type="bullet">
/// <item>every change gets a change sequence greater than the last: <c>max(last + 1, now in ms × 1024)</c>, so
/// sequences also grow across activations of the grain (whose log starts empty) while clocks are sane;</item>
/// <item>the log keeps the last <see cref="Capacity"/> changes with the trainees each one changed (or "all" when
/// unknown); a resume point is known when it is the sequence the log started at (or the one its oldest evicted
/// entry had) or one of the kept entries: any other value (another activation's, a guess) is unknown;</item>
/// <item>from a known point the changes since are the union of the kept entries after it, or "all" when any of them
/// changed all trainees; from an unknown point the watcher needs a full snapshot.</item>
/// </list>
/// Pure and in memory: the grain holds one per activation.
/// </summary>
public sealed class ChangeLog
{
    public const int DefaultCapacity = 1024;

    private readonly Queue<(long Sequence, IReadOnlyList<string>? Trainees)> _entries = new();
    private long _floor;

    public ChangeLog(long nowMs, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Current = Stamp(nowMs);
        _floor = Current;
    }

    public int Capacity { get; }

    /// <summary>The sequence of the last change (or the log's start).</summary>
    public long Current { get; private set; }

    /// <summary>Records a change of <paramref name="trainees"/> (null: all trainees, or not known which) and returns its sequence.</summary>
    public long Record(IReadOnlyList<string>? trainees, long nowMs)
    {
        Current = Math.Max(Current + 1, Stamp(nowMs));
        _entries.Enqueue((Current, trainees));
        if (_entries.Count > Capacity)
        {
            _floor = _entries.Dequeue().Sequence;
        }
        return Current;
    }

    /// <summary>
    /// What changed after <paramref name="after"/>: <see cref="Changes.Unknown"/> when the point is not known here,
    /// <see cref="Changes.All"/> when some change touched every trainee, else the trainees changed (possibly none).
    /// </summary>
    public Changes Since(long after)
    {
        if (after != _floor && !_entries.Any(e => e.Sequence == after))
        {
            return Changes.Unknown;
        }
        var trainees = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (sequence, changed) in _entries.Where(e => e.Sequence > after))
        {
            if (changed is null)
            {
                return Changes.All;
            }
            trainees.UnionWith(changed);
        }
        return new Changes(ChangeScope.Trainees, trainees);
    }

    private static long Stamp(long nowMs) => nowMs << 10;
}

/// <summary>How much changed since a resume point.</summary>
public enum ChangeScope
{
    /// <summary>The point is not known: the watcher needs a full snapshot.</summary>
    Unknown,

    /// <summary>Some change touched every trainee (or did not say which).</summary>
    All,

    /// <summary>Only <see cref="Changes.Trainees"/> changed (possibly none).</summary>
    Trainees,
}

/// <summary>What changed since a resume point.</summary>
public sealed record Changes(ChangeScope Scope, IReadOnlySet<string> Trainees)
{
    public static Changes Unknown { get; } = new(ChangeScope.Unknown, new HashSet<string>());

    public static Changes All { get; } = new(ChangeScope.All, new HashSet<string>());
}
