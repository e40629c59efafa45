using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.Grains.State;
using Microsoft.Extensions.Logging;

namespace Bimtek.Coordinator.Grains;

/// <summary>
/// Counters of one trainee in one programme. Non-reentrant: an effect's duplicate check, the
/// change and the record of its id happen in one turn and one state write, persisted before the
/// caller hears back.
/// </summary>
public sealed partial class TraineeQuotaGrain(
    [PersistentState(StorageNames.TraineeQuotaState, StorageNames.Provider)] IPersistentState<TraineeQuotaState> state,
    ILogger<TraineeQuotaGrain> logger) : Grain, ITraineeQuotaGrain
{
    private string _programmeId = "";
    private string _traineeId = "";
    private TraineeCounters _published = TraineeCounters.Zero;

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
        var s = state.State;
        switch (s.Applied.Check(requestId, fingerprint))
        {
            case RequestSeen.Duplicate:
                return EffectResult.Duplicate;
            case RequestSeen.Reused:
                return new EffectResult(EffectOutcome.RequestIdReused);
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
            s.Known = true;
        }

        change(s);
        s.Revision++;
        s.Applied.Record(requestId, fingerprint);
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // The in-memory state now differs from storage (or another activation wrote first):
            // drop this activation so the next call starts from what storage holds.
            LogWriteFailed(ex, this.GetPrimaryKeyString());
            DeactivateOnIdle();
            throw;
        }

        _published = s.Counters;
        await GrainFactory.GetGrain<IProgrammeGrain>(GrainKeys.Programme(_programmeId)).TraineeChanged(_traineeId, _published);
        return EffectResult.Applied;
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
