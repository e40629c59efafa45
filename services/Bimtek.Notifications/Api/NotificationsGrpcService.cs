using Bimtek.Data.Persistence;
using Bimtek.Notifications.Application;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Api;

/// <summary>Thin handlers: validate, check the caller, hand over to the application layer.</summary>
internal sealed class NotificationsGrpcService(
    EventIntake intake,
    Database database,
    ContactStore contacts,
    MessageStore messages,
    IOptions<NotificationsOptions> options,
    TimeProvider time) : NotificationsService.NotificationsServiceBase
{
    private const string MessageList = "notifications.messages";

    public override async Task<ReceiveEventResponse> ReceiveEvent(ReceiveEventRequest request, ServerCallContext context)
    {
        Access.RequireService(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId).Optional("programme_id", request.ProgrammeId, 100);
        var zoneId = request.TimeZone.Length > 0 ? request.TimeZone : options.Value.DefaultTimeZone;
        if (!TimeZones.TryFind(zoneId, out var zone))
        {
            validator.Add("time_zone", "must be an IANA time zone id");
        }
        var notificationEvent = ProtoMapping.ToEvent(request);
        validator.When(notificationEvent is null, "event", "is required");
        Validate(validator, notificationEvent);
        validator.ThrowIfInvalid();
        var (duplicate, queued) = await intake.ApplyAsync(request.RequestId, request.EventCase.ToString(), notificationEvent!, request.ProgrammeId, zone,
            context.CancellationToken);
        return new ReceiveEventResponse { Duplicate = duplicate, MessagesQueued = queued };
    }

    public override async Task<Contact> SetContact(SetContactRequest request, ServerCallContext context)
    {
        Access.RequireContactWriter(context.GetCaller());
        var c = request.Contact;
        var validator = new RequestValidator().RequestId(request.RequestId).Present("contact", c);
        if (c is null)
        {
            validator.ThrowIfInvalid();
        }
        validator
            .Required("contact.subject", c!.Subject, 200)
            .Optional("contact.name", c.Name, 200)
            .Optional("contact.email", c.Email, 200)
            .Optional("contact.guardian_subject", c.GuardianSubject, 200)
            .Defined("contact.language", c.Language, allowUnspecified: true)
            .Defined("contact.preferred_channel", c.PreferredChannel, allowUnspecified: true)
            .Url("contact.push_endpoint", c.PushEndpoint)
            .Optional("contact.push_p256dh", c.PushP256Dh, 200)
            .Optional("contact.push_auth", c.PushAuth, 100)
            .When(c.Email.Length > 0 && !System.Net.Mail.MailAddress.TryCreate(c.Email, out _), "contact.email", "must be an e-mail address")
            .ThrowIfInvalid();
        var phone = "";
        if (c.Phone.Length > 0)
        {
            phone = PhoneNumberRules.ToE164(c.Phone) ?? throw new ValidationException("contact.phone", "must be a valid phone number", Reasons.InvalidPhone);
        }
        var info = ProtoMapping.ToInfo(c, phone);
        await database.InTransactionAsync(s => contacts.UpsertAsync(s, info, time.GetUtcNow().ToUnixTimeMilliseconds()), context.CancellationToken);
        return ProtoMapping.ToContact(info);
    }

    public override async Task<Contact> GetContact(GetContactRequest request, ServerCallContext context)
    {
        new RequestValidator().Required("subject", request.Subject, 200).ThrowIfInvalid();
        Access.RequireSelfOrOffice(context.GetCaller(), request.Subject);
        var contact = await contacts.FindAsync(request.Subject, context.CancellationToken) ?? throw new NotFoundException("contact", request.Subject);
        return ProtoMapping.ToContact(contact);
    }

    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        new RequestValidator().Required("subject", request.Subject, 200).PageSize(request.PageSize).ValidPageToken(request.PageToken, MessageList).ThrowIfInvalid();
        Access.RequireSelfOrOffice(context.GetCaller(), request.Subject);
        var size = RequestValidator.EffectivePageSize(request.PageSize);
        var after = PageToken.Read(request.PageToken, MessageList, 2);
        var rows = await messages.ListAsync(request.Subject, after, size + 1, context.CancellationToken);
        var (page, next) = PageToken.Cut(rows, size, MessageList, r => [r.CreatedAt.ToString(System.Globalization.CultureInfo.InvariantCulture), r.MessageId]);
        var response = new ListMessagesResponse { NextPageToken = next };
        response.Messages.Add(page.Select(ProtoMapping.ToMessage));
        return response;
    }

    private static void Validate(RequestValidator v, NotificationEvent? e)
    {
        switch (e)
        {
            case BehindScheduleEvent b:
                v.Required("trainee_behind_schedule.trainee_subject", b.Trainee).When(!DateOnly.TryParseExact(b.Day, "yyyy-MM-dd", out _), "trainee_behind_schedule.day", "must be YYYY-MM-DD");
                break;
            case HomeVisitEvent h:
                v.Required("home_visit_changed.visit_id", h.VisitId).Required("home_visit_changed.trainee_subject", h.Trainee)
                    .When(!Enum.IsDefined(h.Change), "home_visit_changed.change", "must be BOOKED, MOVED or CANCELLED")
                    .When(h.ScheduledAt == DateTimeOffset.UnixEpoch, "home_visit_changed.scheduled_at", "is required")
                    .Optional("home_visit_changed.village", h.Village, 200);
                break;
            case KitDispatchedEvent k:
                v.Required("kit_dispatched.dispatch_id", k.DispatchId).Required("kit_dispatched.trainee_subject", k.Trainee);
                break;
            case OutputSentBackEvent o:
                v.Required("output_sent_back.report_id", o.ReportId).Required("output_sent_back.trainee_subject", o.Trainee).Optional("output_sent_back.reason", o.Reason, 1000);
                break;
            case AwaitingSignOffEvent a:
                v.Required("inspection_awaiting_sign_off.inspection_id", a.InspectionId)
                    .When(a.HealthExperts.Count == 0 || a.HealthExperts.Any(string.IsNullOrWhiteSpace), "inspection_awaiting_sign_off.health_expert_subjects", "must name at least one health expert");
                break;
            case HandoverEvent h:
                v.Required("handover_created.handover_id", h.HandoverId).Required("handover_created.document_number", h.DocumentNumber).Required("handover_created.recipient_subject", h.Recipient);
                break;
            case SignInCodeEvent c:
                v.Required("sign_in_code_issued.subject", c.Subject).Required("sign_in_code_issued.code", c.Code, 50);
                break;
            case InvitationEvent i:
                v.Required("invitation_issued.subject", i.Subject).Url("invitation_issued.url", i.Url, required: true);
                break;
            case PersonContactEvent p:
                v.Required("person_contact_changed.subject", p.Subject).Optional("person_contact_changed.name", p.Name, 200)
                    .Optional("person_contact_changed.phone", p.Phone, 64).Optional("person_contact_changed.email", p.Email, 200)
                    .Optional("person_contact_changed.guardian_name", p.GuardianName, 200).Optional("person_contact_changed.guardian_phone", p.GuardianPhone, 64)
                    .When(p.Version < 0, "person_contact_changed.version", "must not be negative");
                break;
        }
    }
}
