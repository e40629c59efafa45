using Orleans.Concurrency;

namespace Bimtek.Coordinator.Abstractions;

/// <summary>
/// A programme (key <see cref="GrainKeys.Programme"/>): its snapshot, enrolments in order,
/// overrides and the allocation derived from them; pace checks and live progress.
/// </summary>
[Alias("bimtek.coordinator.IProgrammeGrain")]
public interface IProgrammeGrain : IGrainWithStringKey
{
    [Alias("ApplyProgrammeChange")]
    Task<EffectResult> ApplyProgrammeChange(ProgrammeChange change);

    [Alias("ApplyEnrolmentChange")]
    Task<EffectResult> ApplyEnrolmentChange(EnrolmentChange change);

    [Alias("SetOverride")]
    Task<EffectResult> SetOverride(QuotaOverride change);

    /// <summary>Runs the pace check for a day (today when null), asking for help for trainees newly behind.</summary>
    [Alias("EvaluatePace")]
    Task<EffectResult> EvaluatePace(PaceEvaluation evaluation);

    /// <summary>What the daily reminder runs: the pace check for today.</summary>
    [Alias("RunDailyPaceCheck")]
    Task RunDailyPaceCheck();

    /// <summary>Progress as of a day (today when null); null when the programme is unknown.</summary>
    [Alias("GetProgress"), ReadOnly]
    Task<ProgrammeProgressView?> GetProgress(DateOnly? asOfDay);

    /// <summary>Whether the programme exists and knows the trainee. Asked by trainee grains.</summary>
    [Alias("CheckTrainee"), ReadOnly]
    Task<TraineeCheck> CheckTrainee(string traineeId);

    /// <summary>A trainee grain's counters after a persisted change (feeds totals and live updates).</summary>
    [Alias("TraineeChanged"), OneWay]
    Task TraineeChanged(string traineeId, TraineeCounters counters);

    /// <summary>
    /// What changed after a watcher's last change sequence (see <see cref="ProgressCatchUp"/>); null when the
    /// programme is unknown.
    /// </summary>
    [Alias("GetChangesSince"), ReadOnly]
    Task<ProgressCatchUp?> GetChangesSince(long changeSequence);

    [Alias("Subscribe")]
    Task Subscribe(IProgrammeProgressObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(IProgrammeProgressObserver observer);
}

/// <summary>
/// One trainee in one programme (key <see cref="GrainKeys.Trainee"/>): unit counters, the daily
/// series and the ids of the effects already applied, all in one state written once per effect.
/// </summary>
[Alias("bimtek.coordinator.ITraineeQuotaGrain")]
public interface ITraineeQuotaGrain : IGrainWithStringKey
{
    [Alias("ApplyOutput")]
    Task<EffectResult> ApplyOutput(OutputRecorded output);

    [Alias("ApplyInspection")]
    Task<EffectResult> ApplyInspection(InspectionResult inspection);

    /// <summary>
    /// The last persisted counters. Interleaves: the programme grain asks while a trainee grain may
    /// be waiting on the programme grain.
    /// </summary>
    [Alias("GetCounters"), AlwaysInterleave]
    Task<TraineeCounters> GetCounters();

    [Alias("GetDetail"), ReadOnly]
    Task<TraineeDetail> GetDetail();
}

/// <summary>Receives live progress updates of one programme.</summary>
[Alias("bimtek.coordinator.IProgrammeProgressObserver")]
public interface IProgrammeProgressObserver : IGrainObserver
{
    [Alias("OnProgress"), OneWay]
    Task OnProgress(ProgrammeProgressView update);
}
