using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;

namespace Bimtek.Coordinator.Grains;

/// <summary>Live progress: watchers subscribe, each change is logged and pushed with the rows it changed, and a watcher resumes from the log.</summary>
public sealed partial class ProgrammeGrain
{
    public Task<ProgressCatchUp?> GetChangesSince(long changeSequence)
    {
        if (S.Info is null)
        {
            return Task.FromResult<ProgressCatchUp?>(null);
        }
        var all = View(Pace.Today(S.Info, _time));
        var changes = _changes.Since(changeSequence);
        return Task.FromResult<ProgressCatchUp?>(changes.Scope == ChangeScope.Trainees
            ? new ProgressCatchUp(all with { Trainees = all.Trainees.Where(t => changes.Trainees.Contains(t.TraineeId)).ToList() }, Full: false)
            : new ProgressCatchUp(all, Full: true));
    }

    public Task Subscribe(IProgrammeProgressObserver observer)
    {
        _observers.Subscribe(observer, observer);
        // The first watcher's snapshot is taken after this: the next update is measured from here.
        if (_published is null && S.Info is not null)
        {
            _published = Rows(Pace.Today(S.Info, _time)).ToDictionary(r => r.TraineeId, StringComparer.Ordinal);
        }
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IProgrammeProgressObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Records the change in the change log and pushes it to live watchers (one-way: a gone watcher costs nothing
    /// and expires) with the rows that differ from the last ones sent. <paramref name="all"/> or
    /// <paramref name="traineeId"/> say what may have changed; with nobody watching, that is what the log keeps.
    /// </summary>
    private void Publish(bool all, string? traineeId = null)
    {
        if (S.Info is null)
        {
            return;
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_observers.Count == 0)
        {
            _published = null;
            _changes.Record(all || traineeId is null ? null : [traineeId], now);
            return;
        }
        var view = View(Pace.Today(S.Info, _time));
        var changed = _published is null
            ? view.Trainees
            : view.Trainees.Where(r => !_published.TryGetValue(r.TraineeId, out var sent) || sent != r).ToList();
        _published = view.Trainees.ToDictionary(r => r.TraineeId, StringComparer.Ordinal);
        var sequence = _changes.Record(changed.Select(r => r.TraineeId).ToList(), now);
        var update = view with { Trainees = changed, ChangeSequence = sequence };
        _observers.Notify(o => o.OnProgress(update));
    }
}
