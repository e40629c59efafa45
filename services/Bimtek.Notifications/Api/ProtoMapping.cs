using Bimtek.Notifications.Application;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Notifications.Api;

internal static class ProtoMapping
{
    public static NotificationEvent? ToEvent(ReceiveEventRequest r) => r.EventCase switch
    {
        ReceiveEventRequest.EventOneofCase.TraineeBehindSchedule => new BehindScheduleEvent(
            r.TraineeBehindSchedule.TraineeSubject, r.TraineeBehindSchedule.Day, r.TraineeBehindSchedule.Made, r.TraineeBehindSchedule.Expected),
        ReceiveEventRequest.EventOneofCase.HomeVisitChanged => new HomeVisitEvent(
            r.HomeVisitChanged.VisitId, (VisitChange)r.HomeVisitChanged.Change, r.HomeVisitChanged.TraineeSubject, r.HomeVisitChanged.InstructorSubject,
            InstantOf(r.HomeVisitChanged.ScheduledAt), r.HomeVisitChanged.Village,
            r.HomeVisitChanged.TimesMoved, r.HomeVisitChanged.Reason),
        ReceiveEventRequest.EventOneofCase.KitDispatched => new KitDispatchedEvent(
            r.KitDispatched.DispatchId, r.KitDispatched.TraineeSubject, r.KitDispatched.ProductName),
        ReceiveEventRequest.EventOneofCase.OutputSentBack => new OutputSentBackEvent(
            r.OutputSentBack.ReportId, r.OutputSentBack.TraineeSubject, r.OutputSentBack.Rework, r.OutputSentBack.Reason, r.OutputSentBack.Units),
        ReceiveEventRequest.EventOneofCase.InspectionAwaitingSignOff => new AwaitingSignOffEvent(
            r.InspectionAwaitingSignOff.InspectionId, [.. r.InspectionAwaitingSignOff.HealthExpertSubjects], r.InspectionAwaitingSignOff.Units),
        ReceiveEventRequest.EventOneofCase.HandoverCreated => new HandoverEvent(
            r.HandoverCreated.HandoverId, r.HandoverCreated.DocumentNumber, r.HandoverCreated.RecipientSubject, r.HandoverCreated.RecipientName,
            r.HandoverCreated.Units, r.HandoverCreated.ProductName, r.HandoverCreated.Phone),
        ReceiveEventRequest.EventOneofCase.SignInCodeIssued => new SignInCodeEvent(
            r.SignInCodeIssued.Subject, r.SignInCodeIssued.Code, r.SignInCodeIssued.Url,
            InstantOf(r.SignInCodeIssued.ExpiresAt), r.SignInCodeIssued.Phone),
        ReceiveEventRequest.EventOneofCase.InvitationIssued => new InvitationEvent(
            r.InvitationIssued.Subject, r.InvitationIssued.Url, InstantOf(r.InvitationIssued.ExpiresAt),
            r.InvitationIssued.Email, r.InvitationIssued.Phone),
        ReceiveEventRequest.EventOneofCase.PersonContactChanged => new PersonContactEvent(
            r.PersonContactChanged.Subject, r.PersonContactChanged.Name, r.PersonContactChanged.Phone, r.PersonContactChanged.Email,
            r.PersonContactChanged.Language == Language.English ? MessageLanguage.English : MessageLanguage.Indonesian, r.PersonContactChanged.Minor,
            r.PersonContactChanged.GuardianName, r.PersonContactChanged.GuardianPhone, r.PersonContactChanged.GuardianConsent, r.PersonContactChanged.Version),
        ReceiveEventRequest.EventOneofCase.HandoverConfirmed => new HandoverConfirmedEvent(
            r.HandoverConfirmed.HandoverId, r.HandoverConfirmed.DocumentNumber, r.HandoverConfirmed.RecipientId, r.HandoverConfirmed.RecipientName,
            r.HandoverConfirmed.ProductCode, r.HandoverConfirmed.Units, InstantOf(r.HandoverConfirmed.ConfirmedAt)),
        ReceiveEventRequest.EventOneofCase.ProgrammeCompleted => new ProgrammeCompletedEvent(
            r.ProgrammeCompleted.Code, r.ProgrammeCompleted.TargetUnits, r.ProgrammeCompleted.AcceptedUnits,
            InstantOf(r.ProgrammeCompleted.CompletedAt)),
        ReceiveEventRequest.EventOneofCase.QuotaChanged => new QuotaChangedEvent(
            r.QuotaChanged.TraineeId, r.QuotaChanged.PreviousQuota, r.QuotaChanged.Quota, r.QuotaChanged.Reason),
        _ => null,
    };

    public static ContactInfo ToInfo(Contact c, string phoneE164) => new(
        c.Subject.Trim(), c.Name.Trim(), phoneE164, c.Email.Trim(),
        c.Language == Language.English ? MessageLanguage.English : MessageLanguage.Indonesian,
        (ChannelKind)c.PreferredChannel, c.OptedOut, c.Minor, c.GuardianSubject.Trim(), c.GuardianConsent,
        c.PushEndpoint, c.PushP256Dh, c.PushAuth);

    public static Contact ToContact(ContactInfo c) => new()
    {
        Subject = c.Subject,
        Name = c.Name,
        Phone = c.Phone,
        Email = c.Email,
        Language = c.Language == MessageLanguage.English ? Language.English : Language.Indonesian,
        PreferredChannel = (Channel)c.PreferredChannel,
        OptedOut = c.OptedOut,
        Minor = c.Minor,
        GuardianSubject = c.GuardianSubject,
        GuardianConsent = c.GuardianConsent,
        PushEndpoint = c.PushEndpoint,
        PushP256Dh = c.PushP256dh,
        PushAuth = c.PushAuth,
    };

    public static WebhookDelivery ToDelivery(WebhookDeliveryRow row, IEnumerable<WebhookAttemptRow> attempts)
    {
        var delivery = new WebhookDelivery
        {
            DeliveryId = row.DeliveryId,
            EventType = (WebhookEventType)row.EventType,
            Body = row.Body,
            Status = row.Status,
            CreatedAt = Instants.ToTimestamp(row.CreatedAt),
            DeliveredAt = row.DeliveredAt is { } at ? Instants.ToTimestamp(at) : null,
        };
        delivery.Attempts.Add(attempts.Select(a => new WebhookAttempt
        {
            AttemptedAt = Instants.ToTimestamp(a.AttemptedAt),
            HttpStatus = (int)a.HttpStatus,
            Detail = a.Detail,
        }));
        return delivery;
    }

    public static Message ToMessage(MessageRow row, IEnumerable<MessageStore.AttemptRow> attempts)
    {
        var message = ToMessage(row);
        message.DeliveryAttempts.Add(attempts.Select(a => new DeliveryAttempt
        {
            AttemptedAt = Instants.ToTimestamp(a.AttemptedAt),
            Channel = (Channel)a.Channel,
            Outcome = a.Outcome,
            Detail = a.Detail,
        }));
        return message;
    }

    public static Message ToMessage(MessageRow row) => new()
    {
        MessageId = row.MessageId,
        Subject = row.Subject,
        Template = row.Template,
        Language = row.MessageLanguage == MessageLanguage.English ? Language.English : Language.Indonesian,
        Text = row.Text,
        Status = (DeliveryStatus)row.Status,
        Channel = (Channel)row.Channel,
        Attempts = (int)row.Attempts,
        LastError = row.LastError,
        CreatedAt = Instants.ToTimestamp(row.CreatedAt),
        NotBefore = Instants.ToTimestamp(row.NotBefore),
        SentAt = row.SentAt is { } sent ? Instants.ToTimestamp(sent) : null,
        ProviderMessageId = row.ProviderMessageId,
        ProgrammeId = row.ProgrammeId,
        Resends = (int)row.Resends,
    };

    public static Webhook ToWebhook(WebhookRow row)
    {
        var webhook = new Webhook
        {
            WebhookId = row.WebhookId,
            Url = row.Url,
            Office = row.Office,
            CreatedBy = row.CreatedBy,
            CreatedAt = Instants.ToTimestamp(row.CreatedAt),
            Disabled = row.Disabled != 0,
        };
        webhook.EventTypes.Add(row.Kinds.Select(k => (WebhookEventType)k));
        return webhook;
    }

    public static CreateWebhookResponse ToProto(CreatedWebhook created) => new() { Webhook = ToWebhook(created.Webhook), Secret = created.Secret };

    /// <summary>An event's instant; the Unix epoch when the sender left it out (as the event types have always read it).</summary>
    private static DateTimeOffset InstantOf(Google.Protobuf.WellKnownTypes.Timestamp? timestamp) =>
        timestamp?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
}
