namespace Bimtek.Notifications.Domain;

/// <summary>An event of another service, as this service reads it.</summary>
public abstract record NotificationEvent;

public sealed record BehindScheduleEvent(string Trainee, string Day, int Made, int Expected) : NotificationEvent;

public enum VisitChange
{
    Booked = 1,
    Moved = 2,
    Cancelled = 3,
}

/// <param name="TimesMoved">How often the visit was moved so far: a move back to an earlier time is a new fact.</param>
/// <param name="Reason">Why it was moved or cancelled, as the office wrote it (told with the change).</param>
public sealed record HomeVisitEvent(string VisitId, VisitChange Change, string Trainee, string Instructor, DateTimeOffset ScheduledAt, string Village,
    int TimesMoved = 0, string Reason = "") : NotificationEvent;

public sealed record KitDispatchedEvent(string DispatchId, string Trainee, string ProductName) : NotificationEvent;

public sealed record OutputSentBackEvent(string ReportId, string Trainee, bool Rework, string Reason, int Units) : NotificationEvent;

public sealed record AwaitingSignOffEvent(string InspectionId, IReadOnlyList<string> HealthExperts, int Units) : NotificationEvent;

public sealed record HandoverEvent(string HandoverId, string DocumentNumber, string Recipient, string RecipientName, int Units, string ProductName, string Phone = "") : NotificationEvent;

public sealed record SignInCodeEvent(string Subject, string Code, string Url, DateTimeOffset ExpiresAt, string Phone) : NotificationEvent;

public sealed record InvitationEvent(string Subject, string Url, DateTimeOffset ExpiresAt, string Email, string Phone) : NotificationEvent;

/// <summary>An event told to integrators' webhooks only (no person is messaged).</summary>
public abstract record IntegratorEvent : NotificationEvent
{
    public abstract WebhookEventKind Kind { get; }
}

public sealed record HandoverConfirmedEvent(string HandoverId, string DocumentNumber, string RecipientId, string RecipientName, string ProductCode,
    int Units, DateTimeOffset ConfirmedAt) : IntegratorEvent
{
    public override WebhookEventKind Kind => WebhookEventKind.HandoverConfirmed;
}

public sealed record ProgrammeCompletedEvent(string Code, int TargetUnits, int AcceptedUnits, DateTimeOffset CompletedAt) : IntegratorEvent
{
    public override WebhookEventKind Kind => WebhookEventKind.ProgrammeCompleted;
}

public sealed record QuotaChangedEvent(string TraineeId, int PreviousQuota, int Quota, string Reason) : IntegratorEvent
{
    public override WebhookEventKind Kind => WebhookEventKind.QuotaChanged;
}
