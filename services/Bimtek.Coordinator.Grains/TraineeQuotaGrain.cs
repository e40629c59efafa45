using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.Grains.State;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Bimtek.Coordinator.Grains;

/// <summary>
/// Counters of one trainee in one programme. An effect's duplicate check, its change and the record of its id happen
/// in one turn (no await between them), and the caller hears back only after a state write that includes them.
/// Reentrant so that writes are shared: effects arriving while a write runs change the state at once and ride on the
/// next write together (one write per batch of concurrent callers instead of one per effect: issue 19, B3). A failed
/// write fails every effect of its batch and of the batch behind it, and the activation reloads from storage.
/// </summary>
[Reentrant]
public sealed partial class TraineeQuotaGrain(
    [PersistentState(StorageNames.TraineeQuotaState, StorageNames.Provider)] IPersistentState<TraineeQuotaState> state,
    ILogger<TraineeQuotaGrain> logger) : Grain, ITraineeQuotaGrain
{
    private string _programmeId = "";
    private string _traineeId = "";
    private TraineeCounters _published = TraineeCounters.Zero;

    // The write loop while it runs, and the batch of changes waiting for the next write (its callers await it).
    private Task? _flushing;
    private TaskCompletionSource? _nextWrite;

    // Set by a failed write: this activation's state is no longer what storage holds, so it takes no more effects.
    private Exception? _writeFailure;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_programmeId, _traineeId) = GrainKeys.ParseTrainee(this.GetPrimaryKeyString());
        _published = state.State.Counters;
        return Task.CompletedTask;
    }

    public Task<EffectResult> ApplyOutput(OutputRecorded output) =>
        ApplyAsync(output.RequestId, output.Fingerprint, s =>
        {
            if (output.Rework)
            {
                // Reworked units go back to inspection; they were produced already.
                s.Rejected -= output.Units;
                s.AwaitingInspection += output.Units;
                return;
            }
            s.Produced += output.Units;
            s.AwaitingInspection += output.Units;
            AddDay(s, output.Day, produced: output.Units);
        });

    public Task<EffectResult> ApplyInspection(InspectionResult inspection) =>
        ApplyAsync(inspection.RequestId, inspection.Fingerprint, s =>
        {
            // Applied as deltas, so an inspection that arrives before its output report converges
            // once the report arrives (awaiting inspection is briefly negative in between).
            s.AwaitingInspection -= inspection.InspectedUnits;
            s.AwaitingSignOff += inspection.AwaitingSignOffDelta;
            s.Accepted += inspection.AcceptedUnits;
            s.Rejected += inspection.RejectedUnits;
            AddDay(s, inspection.Day, accepted: inspection.AcceptedUnits, rejected: inspection.RejectedUnits);
        });

    public Task<TraineeCounters> GetCounters() => Task.FromResult(_published);

    public Task<TraineeDetail> GetDetail() =>
        Task.FromResult(new TraineeDetail(_published, state.State.Days.Values.OrderBy(d => d.Day).ToList()));

    private async Task<EffectResult> ApplyAsync(string requestId, string fingerprint, Action<TraineeQuotaState> change)
    {
        if (_writeFailure is not null)
        {
            throw new InvalidOperationException("The trainee's state is being reloaded after a failed write; retry.", _writeFailure);
        }
        var s = state.State;
        if (await SeenAsync(s, requestId, fingerprint) is { } seen)
        {
            return seen;
        }

        if (!s.Known)
        {
            var check = await GrainFactory.GetGrain<IProgrammeGrain>(GrainKeys.Programme(_programmeId)).CheckTrainee(_traineeId);
            if (check == TraineeCheck.ProgrammeNotFound)
            {
                return new EffectResult(EffectOutcome.ProgrammeNotFound);
            }
            if (check == TraineeCheck.NeverEnrolled)
            {
                return new EffectResult(EffectOutcome.TraineeNotEnrolled, Reasons.TraineeNotEnrolled,
                    $"Trainee '{_traineeId}' is not enrolled in programme '{_programmeId}'.");
            }
            // Another call may have applied the same request while this one waited for the programme.
            if (await SeenAsync(s, requestId, fingerprint) is { } seenMeanwhile)
            {
                return seenMeanwhile;
            }
            s.Known = true;
        }

        change(s);
        s.Revision++;
        s.Applied.Record(requestId, fingerprint);
        await PersistAsync();
        return EffectResult.Applied;
    }

    /// <summary>
    /// A duplicate is answered only once the original's change is stored: while a write is pending it may still fail,
    /// and a sender told "duplicate" would never send the effect again.
    /// </summary>
    private async Task<EffectResult?> SeenAsync(TraineeQuotaState s, string requestId, string fingerprint)
    {
        switch (s.Applied.Check(requestId, fingerprint))
        {
            case RequestSeen.Duplicate:
                if (_flushing is { IsCompleted: false })
                {
                    await PersistAsync();
                }
                return EffectResult.Duplicate;
            case RequestSeen.Reused:
                return new EffectResult(EffectOutcome.RequestIdReused);
            default:
                return null;
        }
    }

    /// <summary>Completes once a state write that includes every change made so far has succeeded.</summary>
    private Task PersistAsync()
    {
        _nextWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = _nextWrite.Task;
        // A loop that finished (even one whose write completed synchronously) is started again.
        if (_flushing is not { IsCompleted: false })
        {
            _flushing = FlushAsync();
        }
        return written;
    }

    private async Task FlushAsync()
    {
        while (_nextWrite is { } batch)
        {
            // Changes made from here on wait for the following write. The storage provider serialises the state
            // before its first await, so this write holds exactly the changes made until now.
            _nextWrite = null;
            var counters = state.State.Counters;
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception ex)
            {
                // The in-memory state now differs from storage (or another activation wrote first): drop this
                // activation so the next call starts from what storage holds; nothing of this batch or the next was stored.
                LogWriteFailed(ex, this.GetPrimaryKeyString());
                _writeFailure = ex;
                DeactivateOnIdle();
                batch.TrySetException(ex);
                _nextWrite?.TrySetException(ex);
                _nextWrite = null;
                _flushing = null;
                return;
            }
            _published = counters;
            await GrainFactory.GetGrain<IProgrammeGrain>(GrainKeys.Programme(_programmeId)).TraineeChanged(_traineeId, counters);
            batch.TrySetResult();
        }
        _flushing = null;
    }

    private static void AddDay(TraineeQuotaState s, DateOnly day, int produced = 0, int accepted = 0, int rejected = 0)
    {
        var current = s.Days.TryGetValue(day, out var d) ? d : new DailyFigures(day, 0, 0, 0);
        s.Days[day] = current with
        {
            Produced = current.Produced + produced,
            Accepted = current.Accepted + accepted,
            Rejected = current.Rejected + rejected,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "State write of trainee quota {Key} failed; deactivating to reload.")]
    private partial void LogWriteFailed(Exception exception, string key);
}
