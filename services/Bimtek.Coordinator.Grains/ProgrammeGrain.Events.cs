using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;
using Microsoft.Extensions.Logging;

namespace Bimtek.Coordinator.Grains;

/// <summary>
/// Facts for integrators (a trainee's quota in force changed, the programme completed): queued in the state with the
/// change that made them, delivered to notifications in order by a grain timer, each removed once acknowledged; while
/// any wait, a reminder wakes the grain after a silo restart.
/// </summary>
public sealed partial class ProgrammeGrain
{
    /// <summary>Each trainee's quota while the programme is active (none otherwise: quotas not in force).</summary>
    private Dictionary<string, int> QuotasInForce() =>
        S.Info is { Phase: ProgrammePhase.Active } info
            ? Allocation.Allocate(info.TargetQuantity, ProgressView.Members(S, _counters)).ToDictionary(q => q.Key, q => q.Value.Quota, StringComparer.Ordinal)
            : new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Queues a quota.changed per trainee whose quota in force the change moved (written with the change).</summary>
    private void QueueQuotaChanges(Dictionary<string, int> before, string reason)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var (traineeId, previous, quota) in QuotaChanges.Between(before, QuotasInForce()))
        {
            QueueEvent(new IntegratorEvent(NewEventId(), IntegratorEventKind.QuotaChanged, now, traineeId, previous, quota, reason));
        }
    }

    private void QueueEvent(IntegratorEvent integratorEvent)
    {
        if (_eventOptions.SendNotifications)
        {
            S.PendingEvents.Add(integratorEvent);
        }
    }

    private static string NewEventId() => Guid.CreateVersion7().ToString();

    /// <summary>After a state write: while events wait, a reminder exists (a silo restart wakes the grain) and the timer delivers them now.</summary>
    private async Task EventsCommittedAsync()
    {
        if (S.PendingEvents.Count == 0)
        {
            return;
        }
        if (!_eventReminder)
        {
            await this.RegisterOrUpdateReminder(StorageNames.EventsReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            _eventReminder = true;
        }
        if (_eventFailures == 0)
        {
            ScheduleEventDelivery(TimeSpan.Zero);
        }
    }

    private void ScheduleEventDelivery(TimeSpan due)
    {
        _eventTimer?.Dispose();
        _eventTimer = this.RegisterGrainTimer(DeliverEventsAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false });
    }

    /// <summary>
    /// Delivers the waiting events in order, stopping at the first failure (notifications down): those delivered are
    /// removed in one state write; the rest are tried again after a growing delay (and by the reminder).
    /// </summary>
    private async Task DeliverEventsAsync(CancellationToken cancellationToken)
    {
        if (S.Info is null)
        {
            return;
        }
        var delivered = 0;
        Exception? failure = null;
        foreach (var pending in S.PendingEvents)
        {
            try
            {
                await _events.SendAsync(_programmeId, S.Info.TimeZone, pending, cancellationToken);
                delivered++;
            }
            catch (Exception ex)
            {
                failure = ex;
                break;
            }
        }
        if (delivered > 0)
        {
            S.PendingEvents.RemoveRange(0, delivered);
            await WriteStateOnlyAsync();
        }
        if (failure is not null)
        {
            _eventFailures++;
            var grown = _eventOptions.EventRetryDelay * Math.Pow(2, Math.Min(_eventFailures - 1, 16));
            var delay = grown < _eventOptions.EventMaxRetryDelay ? grown : _eventOptions.EventMaxRetryDelay;
            LogEventsFailed(failure, _programmeId, S.PendingEvents.Count, delay);
            ScheduleEventDelivery(delay);
            return;
        }
        _eventFailures = 0;
        if (S.PendingEvents.Count == 0 && await this.GetReminder(StorageNames.EventsReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _eventReminder = false;
    }

    /// <summary>Writes the state without marking a change of the programme (delivering events changes no progress).</summary>
    private async Task WriteStateOnlyAsync()
    {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering integrator events of programme {ProgrammeId} to notifications failed; {Waiting} wait, trying again in {Delay}.")]
    private partial void LogEventsFailed(Exception exception, string programmeId, int waiting, TimeSpan delay);
}
