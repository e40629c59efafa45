using Bimtek.Notifications.Application;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Api;

/// <summary>
/// <c>NotificationsInternalService</c> (notifications_internal.proto): the events of the other services' outboxes,
/// never routed by the gateway. Thin like <see cref="NotificationsGrpcService"/>: check the caller (the service role,
/// as before), validate, hand over to <see cref="EventIntake"/>.
/// </summary>
internal sealed class NotificationsInternalGrpcService(EventIntake intake, IOptions<NotificationsOptions> options)
    : NotificationsInternalService.NotificationsInternalServiceBase
{
    public override async Task<ReceiveEventResponse> ReceiveEvent(ReceiveEventRequest request, ServerCallContext context)
    {
        Access.RequireService(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId).Optional("programme_id", request.ProgrammeId, 100);
        var zoneId = request.TimeZone.Length > 0 ? request.TimeZone : options.Value.DefaultTimeZone;
        var zoneKnown = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone);
        validator.When(!zoneKnown, "time_zone", "must be an IANA time zone id");
        var notificationEvent = ProtoMapping.ToEvent(request);
        validator.When(notificationEvent is null, "event", "is required")
            .When(notificationEvent is ProgrammeCompletedEvent && request.ProgrammeId.Length == 0, "programme_id", "is required for programme_completed");
        Validate(validator, notificationEvent);
        validator.ThrowIfInvalid();
        var (duplicate, queued) = await intake.ApplyAsync(request.RequestId, request.EventCase.ToString(), notificationEvent!, request.ProgrammeId, zone!,
            context.CancellationToken, request.OccurredAt?.ToDateTimeOffset());
        return new ReceiveEventResponse { Duplicate = duplicate, MessagesQueued = queued };
    }

    private static void Validate(RequestValidator v, NotificationEvent? e)
    {
        switch (e)
        {
            case BehindScheduleEvent b:
                v.Required("trainee_behind_schedule.trainee_subject", b.Trainee).When(!CalendarDays.TryParse(b.Day, out _), "trainee_behind_schedule.day", "must be YYYY-MM-DD");
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
            case HandoverConfirmedEvent hc:
                v.Required("handover_confirmed.handover_id", hc.HandoverId, 100);
                break;
            case ProgrammeCompletedEvent:
                break;
            case QuotaChangedEvent q:
                v.Required("quota_changed.trainee_id", q.TraineeId, 100).Optional("quota_changed.reason", q.Reason, 200);
                break;
        }
    }
}
