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
/// <para>Split by concern: effects and reads here, the daily pace check in <c>ProgrammeGrain.Pace.cs</c>, facts for
/// integrators (<see cref="ProgrammeState.PendingEvents"/>, only with <c>Coordinator:SendNotifications</c>) in
/// <c>ProgrammeGrain.Events.cs</c>, live progress for watchers in <c>ProgrammeGrain.Live.cs</c>.</para>
/// </summary>
public sealed partial class ProgrammeGrain : Grain, IProgrammeGrain, IRemindable
{
    private readonly IPersistentState<ProgrammeState> _state;
    private readonly TimeProvider _time;
    private readonly PaceOptions _pace;
    private readonly IAssistanceRequestSender _assistance;
    private readonly IIntegratorEventSender _events;
    private readonly IntegratorEventOptions _eventOptions;
    private readonly ILogger<ProgrammeGrain> _logger;
    private readonly ObserverManager<IProgrammeProgressObserver> _observers;
    private readonly Dictionary<string, TraineeCounters> _counters = new(StringComparer.Ordinal);
    private string _programmeId = "";
    private DateTime _lastChange;
    private IGrainTimer? _eventTimer;
    private IGrainTimer? _reminderRetry;
    private int _eventFailures;
    private bool _eventReminder;
    private ChangeLog _changes = null!;

    /// <summary>The rows last sent to watchers, so the next update carries only the rows that differ; null while nobody watches.</summary>
    private Dictionary<string, TraineeRow>? _published;

    public ProgrammeGrain(
        [PersistentState(StorageNames.ProgrammeState, StorageNames.Provider)] IPersistentState<ProgrammeState> state,
        TimeProvider time,
        IOptions<PaceOptions> pace,
        IAssistanceRequestSender assistance,
        IIntegratorEventSender events,
        IOptions<IntegratorEventOptions> eventOptions,
        ILogger<ProgrammeGrain> logger)
    {
        _events = events;
        _eventOptions = eventOptions.Value;
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
        await EnsureRemindersOnActivationAsync();
        if (S.PendingEvents.Count > 0)
        {
            ScheduleEventDelivery(TimeSpan.Zero);
        }
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
        var before = QuotasInForce();
        var wasCompleted = S.Info?.Phase == ProgrammePhase.Completed;
        var targetBefore = S.Info?.TargetQuantity;
        S.Info = change.Programme;
        QueueQuotaChanges(before, before.Count == 0 ? QuotaChanges.Allocation : targetBefore != S.Info.TargetQuantity ? QuotaChanges.Target : QuotaChanges.Allocation);
        if (!wasCompleted && S.Info.Phase == ProgrammePhase.Completed)
        {
            QueueEvent(new IntegratorEvent(NewEventId(), IntegratorEventKind.ProgrammeCompleted, _time.GetUtcNow().UtcDateTime,
                ProgrammeCode: S.Info.Code ?? "", TargetUnits: S.Info.TargetQuantity, AcceptedUnits: _counters.Values.Sum(c => c.Accepted)));
        }
        await CommitAsync(change.RequestId, change.Fingerprint);
        await EventsCommittedAsync();
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
        var before = QuotasInForce();
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
        QueueQuotaChanges(before, before.Count == 0 ? QuotaChanges.Allocation : withdrawn ? QuotaChanges.Withdrawal : QuotaChanges.Enrolment);
        await CommitAsync(change.RequestId, change.Fingerprint);
        await EventsCommittedAsync();
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
        var before = QuotasInForce();
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
        QueueQuotaChanges(before, QuotaChanges.Override);
        await CommitAsync(change.RequestId, change.Fingerprint);
        await EventsCommittedAsync();
        Publish(all: true);
        return EffectResult.Applied;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName switch
    {
        StorageNames.PaceReminder => RunDailyPaceCheck(),
        // Woken after a silo restart (or while the timer waits): deliver what waits now.
        StorageNames.EventsReminder => DeliverEventsAsync(CancellationToken.None),
        _ => Task.CompletedTask,
    };

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
    private List<TraineeRow> Rows(DateOnly day) => ProgressView.Rows(S, _counters, _pace, day);

    /// <summary>Every trainee's row and the totals on <paramref name="day"/>, as of the last change.</summary>
    private ProgrammeProgressView View(DateOnly day) =>
        ProgressView.Build(_programmeId, S, _counters, _pace, day, _lastChange > S.UpdatedAt ? _lastChange : S.UpdatedAt) with { ChangeSequence = _changes.Current };

    [LoggerMessage(Level = LogLevel.Warning, Message = "State write of programme {Key} failed; deactivating to reload.")]
    private partial void LogWriteFailed(Exception exception, string key);
}
