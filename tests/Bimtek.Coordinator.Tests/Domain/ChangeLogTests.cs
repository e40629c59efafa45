using Bimtek.Coordinator.Grains.Domain;

namespace Bimtek.Coordinator.Tests.Domain;

/// <summary>The change log a resuming watcher is caught up from (<see cref="ChangeLog"/>).</summary>
public sealed class ChangeLogTests
{
    private const long Now = 1_780_000_000_000;

    [Fact]
    public void Sequences_grow_with_every_change_also_within_one_millisecond_and_past_a_later_activation()
    {
        var log = new ChangeLog(Now);
        var start = log.Current;
        var first = log.Record(["ani"], Now);
        var second = log.Record(["budi"], Now);
        var later = log.Record(null, Now + 5);

        Assert.True(start < first && first < second && second < later);
        Assert.Equal(later, log.Current);
        // A later activation (its log starts empty) starts above everything the earlier one handed out.
        Assert.True(new ChangeLog(Now + 1_000).Current > later);
    }

    [Fact]
    public void From_a_known_point_only_the_trainees_changed_since_are_named()
    {
        var log = new ChangeLog(Now);
        var start = log.Current;
        var a = log.Record(["ani"], Now + 1);
        var b = log.Record(["budi", "citra"], Now + 2);
        log.Record(["ani"], Now + 3);

        Assert.Equal(["ani", "budi", "citra"], Sorted(log.Since(start)));
        Assert.Equal(["ani", "budi", "citra"], Sorted(log.Since(a)));
        Assert.Equal(["ani"], Sorted(log.Since(b)));
        var now = log.Since(log.Current);
        Assert.Equal(ChangeScope.Trainees, now.Scope);
        Assert.Empty(now.Trainees);
    }

    [Fact]
    public void A_change_of_everyone_since_the_point_asks_for_everyone()
    {
        var log = new ChangeLog(Now);
        var before = log.Record(["ani"], Now + 1);
        var all = log.Record(null, Now + 2);
        log.Record(["budi"], Now + 3);

        Assert.Equal(ChangeScope.All, log.Since(before).Scope);
        Assert.Equal(["budi"], Sorted(log.Since(all)));
    }

    [Fact]
    public void Unknown_points_a_guess_another_activations_or_one_evicted_need_a_snapshot()
    {
        var log = new ChangeLog(Now, capacity: 3);
        var start = log.Current;
        var first = log.Record(["ani"], Now + 1);
        var second = log.Record(["budi"], Now + 2);

        Assert.Equal(ChangeScope.Unknown, log.Since(first + 1).Scope);
        Assert.Equal(ChangeScope.Unknown, log.Since(start - 1).Scope);
        Assert.Equal(ChangeScope.Unknown, log.Since(new ChangeLog(Now - 60_000).Current).Scope);
        Assert.Equal(ChangeScope.Unknown, log.Since(log.Current + 1).Scope);

        log.Record(["citra"], Now + 3);
        log.Record(["dewi"], Now + 4);
        // Capacity 3: the first entry is gone, so the start is no longer a known point; the first entry's own
        // sequence still is (everything after it is kept).
        Assert.Equal(ChangeScope.Unknown, log.Since(start).Scope);
        Assert.Equal(["budi", "citra", "dewi"], Sorted(log.Since(first)));
        Assert.Equal(["citra", "dewi"], Sorted(log.Since(second)));
    }

    private static List<string> Sorted(Changes changes)
    {
        Assert.Equal(ChangeScope.Trainees, changes.Scope);
        return changes.Trainees.Order(StringComparer.Ordinal).ToList();
    }
}
