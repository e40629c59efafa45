namespace Bimtek.Coordinator.Grains.Domain;

/// <summary>What an integrator event tells (the notifications contract's <c>quota_changed</c>, <c>programme_completed</c>).</summary>
[GenerateSerializer, Alias("bimtek.coordinator.IntegratorEventKind")]
public enum IntegratorEventKind
{
    QuotaChanged = 1,
    ProgrammeCompleted = 2,
}

/// <summary>
/// A fact of the coordinator for integrators' webhooks, kept in the programme grain's state (written with the change
/// that made it) until notifications acknowledged it. <see cref="EventId"/> is made once, so every retry carries the
/// same request_id and notifications applies it once.
/// </summary>
[GenerateSerializer, Alias("bimtek.coordinator.IntegratorEvent")]
public sealed record IntegratorEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] IntegratorEventKind Kind,
    [property: Id(2)] DateTime OccurredAt,
    [property: Id(3)] string TraineeId = "",
    [property: Id(4)] int PreviousQuota = 0,
    [property: Id(5)] int Quota = 0,
    [property: Id(6)] string Reason = "",
    [property: Id(7)] string ProgrammeCode = "",
    [property: Id(8)] int TargetUnits = 0,
    [property: Id(9)] int AcceptedUnits = 0);

/// <summary>Delivers one integrator event to notifications (idempotent there on <see cref="IntegratorEvent.EventId"/>); throws when it did not arrive.</summary>
public interface IIntegratorEventSender
{
    Task SendAsync(string programmeId, string timeZone, IntegratorEvent integratorEvent, CancellationToken cancellationToken);
}

/// <summary>Where no notifications sender is wired (grain tests): every delivery fails and the events wait.</summary>
public sealed class NoIntegratorEventSender : IIntegratorEventSender
{
    public Task SendAsync(string programmeId, string timeZone, IntegratorEvent integratorEvent, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No notifications sender is configured; integrator events wait in the programme's state.");
}

/// <summary>Whether and how the coordinator tells integrators' facts (<c>Coordinator:*</c>).</summary>
public sealed class IntegratorEventOptions
{
    public const string Section = "Coordinator";

    /// <summary>Queue quota changes and programme completions for notifications' webhooks (off by default: the coordinator runs without notifications).</summary>
    public bool SendNotifications { get; set; }

    /// <summary>First wait before delivering again after notifications failed (doubles each time), and its cap.</summary>
    public TimeSpan EventRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan EventMaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Which trainees' quotas a change moved. Rules:
/// <list type="bullet">
/// <item>Only quotas in force count: those of an active programme. Before activation quotas are a draft; a completed or
/// cancelled programme's no longer move anyone.</item>
/// <item>At activation every trainee's quota is told (from 0, reason <c>allocation</c>).</item>
/// <item>Otherwise each trainee whose quota differs from before the change, in trainee order.</item>
/// </list>
/// </summary>
public static class QuotaChanges
{
    public const string Allocation = "allocation";
    public const string Enrolment = "enrolment";
    public const string Withdrawal = "withdrawal";
    public const string Override = "override";
    public const string Target = "target";

    public static IReadOnlyList<(string TraineeId, int Previous, int Quota)> Between(
        IReadOnlyDictionary<string, int> before, IReadOnlyDictionary<string, int> after) =>
        [.. after
            .Where(q => before.GetValueOrDefault(q.Key) != q.Value)
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => (q.Key, before.GetValueOrDefault(q.Key), q.Value))];
}
