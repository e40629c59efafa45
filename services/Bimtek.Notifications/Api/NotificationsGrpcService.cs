using Bimtek.Data.Persistence;
using Bimtek.Notifications.Application;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Api;

/// <summary>Thin handlers: validate, check the caller, hand over to the application layer.</summary>
internal sealed class NotificationsGrpcService(
    Database database,
    ContactStore contacts,
    MessageStore messages,
    MessageResender resender,
    Webhooks webhooks,
    WebhookStore webhookStore,
    Access access,
    IOptions<NotificationsOptions> options,
    TimeProvider time) : NotificationsService.NotificationsServiceBase
{
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
        await database.InTransactionAsync(s => contacts.UpsertAsync(s, info, time.NowMs()), context.CancellationToken);
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
        new RequestValidator().Required("subject", request.Subject, 200).PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, MessageStore.PersonList).ThrowIfInvalid();
        var caller = context.GetCaller();
        Access.RequireSelfOrOffice(caller, request.Subject);
        var page = MessageStore.PersonList.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await messages.ListAsync(request.Subject, page, context.CancellationToken);
        // To anyone but the person themselves, a subject with neither a contact nor a message is no one this service
        // knows: say so, as GetContact does. A person signed in exists, so their own empty inbox is just empty.
        if (rows.Count == 0 && request.PageToken.Length == 0 && !Access.IsSelf(caller, request.Subject)
            && await contacts.FindAsync(request.Subject, context.CancellationToken) is null)
        {
            throw new NotFoundException("person", request.Subject);
        }
        // An operator sees the messages of their office's programmes: a page may hold fewer than page_size (AIP-158).
        var visible = new List<MessageRow>(rows.Count);
        foreach (var row in rows)
        {
            if (await access.SeesAsync(caller, row, context.CancellationToken))
            {
                visible.Add(row);
            }
        }
        var response = new ListMessagesResponse { NextPageToken = next };
        response.Messages.Add(await WithAttemptsAsync(visible, context.CancellationToken));
        return response;
    }

    public override async Task<Message> ResendMessage(ResendMessageRequest request, ServerCallContext context)
    {
        var caller = Access.RequireOffice(context.GetCaller());
        new RequestValidator().RequestId(request.RequestId).Required("message_id", request.MessageId, 100).ThrowIfInvalid();
        return await resender.ResendAsync(request, message => access.RequireResenderAsync(caller, message, context.CancellationToken),
            ProtoMapping.ToMessage, context.CancellationToken);
    }

    public override async Task<ListFailedDeliveriesResponse> ListFailedDeliveries(ListFailedDeliveriesRequest request, ServerCallContext context)
    {
        Access.RequireOffice(context.GetCaller());
        new RequestValidator().Id("programme_id", request.ProgrammeId).PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, MessageStore.FailedList).ThrowIfInvalid();
        // The programme's office was checked before this handler (ProgrammeOfficeInterceptor); here only that it exists.
        await access.RequireKnownProgrammeAsync(request.ProgrammeId, context.CancellationToken);
        var page = MessageStore.FailedList.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await messages.ListFailedAsync(request.ProgrammeId, page, context.CancellationToken);
        var response = new ListFailedDeliveriesResponse { NextPageToken = next };
        response.Messages.Add(await WithAttemptsAsync(rows, context.CancellationToken));
        return response;
    }

    public override async Task<CreateWebhookResponse> CreateWebhook(CreateWebhookRequest request, ServerCallContext context)
    {
        var caller = Access.RequireWebhookOwner(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId).Url("url", request.Url, required: true)
            .When(request.EventTypes.Count == 0, "event_types", "must name at least one event type")
            .When(request.EventTypes.Any(t => t == WebhookEventType.Unspecified || !Enum.IsDefined(t)), "event_types", "must be defined event types");
        if (Uri.TryCreate(request.Url.Trim(), UriKind.Absolute, out var url) && url.Scheme != Uri.UriSchemeHttps && !options.Value.Webhooks.AllowHttp)
        {
            validator.Add("url", "must be an https URL");
        }
        validator.ThrowIfInvalid();
        return ProtoMapping.ToProto(await webhooks.CreateAsync(request, caller, context.CancellationToken));
    }

    public override async Task<ListWebhooksResponse> ListWebhooks(ListWebhooksRequest request, ServerCallContext context)
    {
        var caller = Access.RequireWebhookOwner(context.GetCaller());
        new RequestValidator().PageSize(request.PageSize).ValidPageToken(request.PageToken, WebhookStore.List).ThrowIfInvalid();
        var page = WebhookStore.List.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await webhookStore.ListAsync(access.OfficesOf(caller), page, context.CancellationToken);
        var response = new ListWebhooksResponse { NextPageToken = next };
        response.Webhooks.Add(rows.Select(ProtoMapping.ToWebhook));
        return response;
    }

    public override async Task<Webhook> DisableWebhook(DisableWebhookRequest request, ServerCallContext context)
    {
        var caller = Access.RequireWebhookOwner(context.GetCaller());
        new RequestValidator().RequestId(request.RequestId).Required("webhook_id", request.WebhookId, 100).ThrowIfInvalid();
        return await database.InTransactionAsync(async session =>
        {
            var webhook = await WebhookStore.FindAsync(session, request.WebhookId);
            access.RequireWebhookOfOffice(caller, webhook);
            await WebhookStore.DisableAsync(session, request.WebhookId);
            return ProtoMapping.ToWebhook((await WebhookStore.FindAsync(session, request.WebhookId))!);
        }, context.CancellationToken);
    }

    public override async Task<ListWebhookDeliveriesResponse> ListWebhookDeliveries(ListWebhookDeliveriesRequest request, ServerCallContext context)
    {
        var caller = Access.RequireWebhookOwner(context.GetCaller());
        new RequestValidator().Required("webhook_id", request.WebhookId, 100).PageSize(request.PageSize)
            .ValidPageToken(request.PageToken, WebhookStore.Deliveries).ThrowIfInvalid();
        access.RequireWebhookOfOffice(caller, await webhookStore.FindAsync(request.WebhookId, context.CancellationToken));
        var page = WebhookStore.Deliveries.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await webhookStore.ListDeliveriesAsync(request.WebhookId, page, context.CancellationToken);
        var attempts = await webhookStore.AttemptsOfAsync([.. rows.Select(r => r.DeliveryId)], context.CancellationToken);
        var response = new ListWebhookDeliveriesResponse { NextPageToken = next };
        response.Deliveries.Add(rows.Select(r => ProtoMapping.ToDelivery(r, attempts[r.DeliveryId])));
        return response;
    }

    private async Task<IEnumerable<Message>> WithAttemptsAsync(IReadOnlyCollection<MessageRow> rows, CancellationToken cancellationToken)
    {
        var attempts = await messages.AttemptsOfAsync([.. rows.Select(r => r.MessageId)], cancellationToken);
        return rows.Select(r => ProtoMapping.ToMessage(r, attempts[r.MessageId]));
    }
}
