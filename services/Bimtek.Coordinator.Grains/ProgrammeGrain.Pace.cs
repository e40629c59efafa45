using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.Grains.State;
using Microsoft.Extensions.Logging;

namespace Bimtek.Coordinator.Grains;

/// <summary>
/// The daily pace check: a reminder per active programme wakes the grain at the start of each of its days, behind
/// trainees are flagged and participants is asked to open one assistance request per behind-schedule spell.
/// </summary>
public sealed partial class ProgrammeGrain
{
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

    /// <summary>
    /// On activation the reminders are made sure of without holding the activation on the reminder service: right after
    /// a cold start of the cluster it may still be taking over the ranges of the silos that went down, and reads of the
    /// programme must not wait for it. A failure is tried again on a timer until it succeeds.
    /// </summary>
    private async Task EnsureRemindersOnActivationAsync()
    {
        try
        {
            await EnsureReminderAsync();
            if (S.PendingEvents.Count > 0)
            {
                _eventReminder = await this.GetReminder(StorageNames.EventsReminder) is not null;
            }
            _reminderRetry?.Dispose();
            _reminderRetry = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRemindersDeferred(ex, _programmeId, ReminderRetryDelay);
            _reminderRetry?.Dispose();
            _reminderRetry = this.RegisterGrainTimer(_ => EnsureRemindersOnActivationAsync(),
                new GrainTimerCreationOptions(ReminderRetryDelay, Timeout.InfiniteTimeSpan) { Interleave = false });
        }
    }

    private static TimeSpan ReminderRetryDelay => TimeSpan.FromSeconds(10);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asking participants to open a behind-schedule request for trainee {TraineeId} of programme {ProgrammeId} failed; the next pace check asks again.")]
    private partial void LogAssistanceFailed(Exception exception, string programmeId, string traineeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reminders of programme {ProgrammeId} could not be made sure of on activation; trying again in {Delay}.")]
    private partial void LogRemindersDeferred(Exception exception, string programmeId, TimeSpan delay);
}
