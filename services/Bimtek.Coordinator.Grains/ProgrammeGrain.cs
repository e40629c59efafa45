using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.Grains.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Bimtek.Coordinator.Grains;

/// <summary>
/// A programme: snapshot, enrolments, overrides, the allocation derived from them, pace checks and
/// live progress. Quotas are not stored: they are a pure function of the persisted inputs and the
/// trainees' accepted units, recomputed on demand, so an effect here is one state write. Trainee
/// counters are cached in memory (pushed by trainee grains after their writes, fetched from them
/// on activation), so output and inspection effects write only the trainee grain.
/// </summary>
public sealed partial class ProgrammeGrain : Grain, IProgrammeGrain, IRemindable
{
    private readonly IPersistentState<ProgrammeState> _state;
    private readonly TimeProvider _time;
    private readonly PaceOptions _pace;
    private readonly IAssistanceRequestSender _assistance;
    private readonly ILogger<ProgrammeGrain> _logger;
    private readonly ObserverManager<IProgrammeProgressObserver> _observers;
    private readonly Dictionary<string, TraineeCounters> _counters = new(StringComparer.Ordinal);
    private string _programmeId = "";
    private DateTime _lastChange;
    private ChangeLog _changes = null!;

    /// <summary>The rows last sent to watchers, so the next update carries only the rows that differ; null while nobody watches.</summary>
    private Dictionary<string, TraineeRow>? _published;

    public ProgrammeGrain(
        [PersistentState(StorageNames.ProgrammeState, StorageNames.Provider)] IPersistentState<ProgrammeState> state,
        TimeProvider time,
        IOptions<PaceOptions> pace,
        IAssistanceRequestSender assistance,
        ILogger<ProgrammeGrain> logger)
    {
        _state = state;
        _time = time;
        _pace = pace.Value;
        _assistance = assistance;
        _logger = logger;
        _observers = new ObserverManager<IProgrammeProgressObserver>(TimeSpan.FromMinutes(3), logger);
    }

    private ProgrammeState S => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _programmeId = GrainKeys.ProgrammeIdOf(this.GetPrimaryKeyString());
        _lastChange = S.UpdatedAt;
        _changes = new ChangeLog(_time.GetUtcNow().ToUnixTimeMilliseconds());
        var trainees = S.Enrolments.Values.Select(e => e.TraineeId).Distinct(StringComparer.Ordinal).ToList();
        var counters = await Task.WhenAll(trainees.Select(t =>
            GrainFactory.GetGrain<ITraineeQuotaGrain>(GrainKeys.Trainee(_programmeId, t)).GetCounters()));
        for (var i = 0; i < trainees.Count; i++)
        {
            _counters[trainees[i]] = counters[i];
        }
        await EnsureReminderAsync();
    }

    // ----- Effects -----

    public async Task<EffectResult> ApplyProgrammeChange(ProgrammeChange change)
    {
        if (Seen(change.RequestId, change.Fingerprint) is { } seen)
        {
            return seen;
        }
        if (S.Info is not null && change.Programme.Revision <= S.Info.Revision)
        {
            return new EffectResult(EffectOutcome.Superseded);
        }
        S.Info = change.Programme;
        await CommitAsync(change.RequestId, change.Fingerprint);
        await EnsureReminderAsync();
        Publish(all: true);
        return EffectResult.Applied;
    }

    public async Task<EffectResult> ApplyEnrolmentChange(EnrolmentChange change)
    {
        if (Seen(change.RequestId, change.Fingerprint) is { } seen)
        {
            return seen;
        }
        if (S.Info is null || change.Programme.Revision > S.Info.Revision)
        {
            S.Info = change.Programme;
        }
        // A withdrawal wins over its enrolment whatever the order of arrival.
        var withdrawn = change.Withdrawn || (S.Enrolments.TryGetValue(change.EnrolmentId, out var existing) && existing.Withdrawn);
        S.Enrolments[change.EnrolmentId] = new EnrolmentRecord(change.TraineeId, change.Sequence, withdrawn, change.ChangedAt);
        if (ProgressView.Members(S, _counters).FirstOrDefault(m => m.TraineeId == change.TraineeId) is { Withdrawn: true })
        {
            S.Overrides.Remove(change.TraineeId);
        }
        _counters.TryAdd(change.TraineeId, TraineeCounters.Zero);
        await CommitAsync(change.RequestId, change.Fingerprint);
        await EnsureReminderAsync();
        Publish(all: true);
        return EffectResult.Applied;
    }

    public async Task<EffectResult> SetOverride(QuotaOverride change)
    {
        if (Seen(change.RequestId, change.Fingerprint) is { } seen)
        {
            return seen;
        }
        if (S.Info is null)
        {
            return new EffectResult(EffectOutcome.ProgrammeNotFound);
        }
        var members = ProgressView.Members(S, _counters);
        var member = members.FirstOrDefault(m => m.TraineeId == change.TraineeId);
        if (member is null || member.Withdrawn)
        {
            return new EffectResult(EffectOutcome.TraineeNotEnrolled, Reasons.TraineeNotEnrolled,
                $"Trainee '{change.TraineeId}' is not actively enrolled in programme '{_programmeId}'.");
        }
        if (change.Quota is { } quota)
        {
            if (Allocation.CheckOverride(S.Info.TargetQuantity, members, change.TraineeId, quota) is { } problem)
            {
                return new EffectResult(EffectOutcome.Refused, Reasons.OverrideCannotBeAbsorbed, problem);
            }
            S.Overrides[change.TraineeId] = new OverrideRecord(quota, change.Reason, _time.GetUtcNow().UtcDateTime);
        }
        else
        {
            S.Overrides.Remove(change.TraineeId);
        }
        await CommitAsync(change.RequestId, change.Fingerprint);
        Publish(all: true);
        return EffectResult.Applied;
    }

    public async Task<EffectResult> EvaluatePace(PaceEvaluation evaluation)
    {
        if (Seen(evaluation.RequestId, evaluation.Fingerprint) is { } seen)
        {
            return seen;
        }
        if (S.Info is null)
        {
            return new EffectResult(EffectOutcome.ProgrammeNotFound);
        }
        if (S.Info.Phase != ProgrammePhase.Active)
        {
            return new EffectResult(EffectOutcome.Refused, Reasons.ProgrammeNotActive, $"Programme '{_programmeId}' is not active.");
        }
        await CheckPaceAsync(evaluation.Day ?? Pace.Today(S.Info, _time), evaluation.RequestId, evaluation.Fingerprint);
        return EffectResult.Applied;
    }

    public async Task RunDailyPaceCheck()
    {
        if (S.Info is { Phase: ProgrammePhase.Active })
        {
            await CheckPaceAsync(Pace.Today(S.Info, _time), null, null);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == StorageNames.PaceReminder ? RunDailyPaceCheck() : Task.CompletedTask;

    /// <summary>
    /// Flags trainees behind on <paramref name="day"/> and asks participants to open an assistance
    /// request for each trainee whose behind-schedule spell has none yet. The request id is derived
    /// from programme, trainee and day, so a retried or repeated call opens nothing new; a failed
    /// call leaves the spell un-requested and the next check asks again.
    /// </summary>
    private async Task CheckPaceAsync(DateOnly day, string? requestId, string? fingerprint)
    {
        var changed = false;
        foreach (var row in Rows(day).Where(r => !r.Withdrawn))
        {
            var record = S.Pace.GetValueOrDefault(row.TraineeId) ?? new PaceRecord(null, null);
            var next = Pace.NextSpell(record, Pace.IsBehind(row.Quota, row.ExpectedByDay, row.Counters.Done, _pace), day);
            if (Pace.NeedsAssistanceRequest(next))
            {
                var notice = new BehindScheduleNotice(
                    DeterministicIds.From($"behind-schedule/{_programmeId}/{row.TraineeId}/{day:yyyy-MM-dd}"),
                    _programmeId, row.TraineeId, day, row.Counters.Done, row.ExpectedByDay, row.Quota);
                try
                {
                    await _assistance.OpenBehindScheduleAsync(notice, CancellationToken.None);
                    next = next with { RequestedForSpell = next.BehindSince };
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogAssistanceFailed(ex, _programmeId, row.TraineeId);
                }
            }
            if (next != record)
            {
                S.Pace[row.TraineeId] = next;
                changed = true;
            }
        }
        if (requestId is not null)
        {
            await CommitAsync(requestId, fingerprint!);
        }
        else if (changed)
        {
            await CommitAsync(null, null);
        }
        if (changed)
        {
            Publish(all: true);
        }
    }

    // ----- Reads -----

    public Task<ProgrammeProgressView?> GetProgress(DateOnly? asOfDay) =>
        Task.FromResult(S.Info is null ? null : View(asOfDay ?? Pace.Today(S.Info, _time)));

    public Task<TraineeCheck> CheckTrainee(string traineeId) =>
        Task.FromResult(
            S.Info is null ? TraineeCheck.ProgrammeNotFound
            : S.Enrolments.Values.Any(e => e.TraineeId == traineeId) ? TraineeCheck.Known
            : TraineeCheck.NeverEnrolled);

    public Task TraineeChanged(string traineeId, TraineeCounters counters)
    {
        // One-way messages may overtake each other: keep the highest revision.
        if (_counters.TryGetValue(traineeId, out var held) && held.Revision >= counters.Revision)
        {
            return Task.CompletedTask;
        }
        var acceptedBefore = held?.Accepted ?? 0;
        _counters[traineeId] = counters;
        _lastChange = _time.GetUtcNow().UtcDateTime;
        // A withdrawn trainee's accepted units shape everyone's quota; otherwise only this row changed.
        var withdrawn = ProgressView.Members(S, _counters).Any(m => m.TraineeId == traineeId && m.Withdrawn);
        Publish(all: withdrawn && acceptedBefore != counters.Accepted, traineeId);
        return Task.CompletedTask;
    }

    // ----- Helpers -----

    private EffectResult? Seen(string requestId, string fingerprint) => S.Applied.Check(requestId, fingerprint) switch
    {
        RequestSeen.Duplicate => EffectResult.Duplicate,
        RequestSeen.Reused => new EffectResult(EffectOutcome.RequestIdReused),
        _ => null,
    };

    /// <summary>Records the request id and writes the state: one write per change.</summary>
    private async Task CommitAsync(string? requestId, string? fingerprint)
    {
        if (requestId is not null)
        {
            S.Applied.Record(requestId, fingerprint!);
        }
        S.UpdatedAt = _time.GetUtcNow().UtcDateTime;
        _lastChange = S.UpdatedAt;
        try
        {
            await _state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogWriteFailed(ex, this.GetPrimaryKeyString());
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>The daily pace reminder exists exactly while the programme is active.</summary>
    private async Task EnsureReminderAsync()
    {
        var active = S.Info is { Phase: ProgrammePhase.Active };
        var reminder = await this.GetReminder(StorageNames.PaceReminder);
        if (active && reminder is null)
        {
            await this.RegisterOrUpdateReminder(StorageNames.PaceReminder, Pace.UntilNextDayStart(S.Info!, _time), TimeSpan.FromDays(1));
        }
        else if (!active && reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private List<TraineeRow> Rows(DateOnly day) => ProgressView.Rows(S, _counters, _pace, day);

    /// <summary>Every trainee's row and the totals on <paramref name="day"/>, as of the last change.</summary>
    private ProgrammeProgressView View(DateOnly day) =>
        ProgressView.Build(_programmeId, S, _counters, _pace, day, _lastChange > S.UpdatedAt ? _lastChange : S.UpdatedAt) with { ChangeSequence = _changes.Current };

    [LoggerMessage(Level = LogLevel.Warning, Message = "State write of programme {Key} failed; deactivating to reload.")]
    private partial void LogWriteFailed(Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asking participants to open a behind-schedule request for trainee {TraineeId} of programme {ProgrammeId} failed; the next pace check asks again.")]
    private partial void LogAssistanceFailed(Exception exception, string programmeId, string traineeId);
}
