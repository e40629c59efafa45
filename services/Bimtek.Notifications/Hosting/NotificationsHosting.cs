using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Notifications.Api;
using Bimtek.Notifications.Application;
using Bimtek.Notifications.Channels;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.V1;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Offices;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Bimtek.Notifications.Hosting;

/// <summary>
/// The notifications service's wiring: service defaults, its database (with the shared outbox, whose relay also
/// sends this service's own messages when they are due), the channels that are configured, the provider callbacks
/// and, for the local run, the dev outbox.
/// </summary>
public static class NotificationsHosting
{
    public const string ServiceName = "notifications";

    public static WebApplicationBuilder AddNotificationsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(NotificationsHosting).Assembly);
        // Retention of received events, finished messages and webhook deliveries (Data/NotificationRetention.cs).
        builder.Services.AddNotificationRetention();

        var services = builder.Services;
        services.AddOptions<NotificationsOptions>()
            .Bind(builder.Configuration.GetSection(NotificationsOptions.Section))
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.DefaultTimeZone, out _), "Notifications:DefaultTimeZone must be an IANA time zone id.")
            .Validate(o => o.TriesPerChannel is >= 1 and <= 10, "Notifications:TriesPerChannel must be between 1 and 10.")
            .Validate(o => o.SendLease > TimeSpan.Zero && o.UnknownOutcomeWindow > TimeSpan.Zero,
                "Notifications:SendLease and Notifications:UnknownOutcomeWindow must be positive.")
            .ValidateOnStart();
        // The suite's end-to-end tests shift this process's clock (quiet hours on demand); never set in a deployment.
        var offset = builder.Configuration.GetValue<TimeSpan>($"{NotificationsOptions.Section}:ClockOffset");
        if (offset != TimeSpan.Zero)
        {
            services.AddSingleton<TimeProvider>(new OffsetTimeProvider(offset));
        }
        services.AddSingleton<ContactStore>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<EventIntake>();
        services.AddSingleton<MessageSender>();
        services.AddSingleton<MessageResender>();
        // Integrators' webhooks: secrets encrypted with the data-protection key ring, kept in this service's database
        // so every instance reads what another wrote; each delivery sent by this service's outbox relay.
        services.AddDataProtection().SetApplicationName("bimtek-notifications");
        services.AddSingleton<DataProtectionKeys>();
        services.AddOptions<KeyManagementOptions>().Configure<DataProtectionKeys>((o, keys) => o.XmlRepository = keys);
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<Webhooks>();
        services.AddHttpClient<WebhookDeliverer>((sp, c) => c.Timeout = sp.GetRequiredService<IOptions<NotificationsOptions>>().Value.Webhooks.Timeout);
        services.AddOutboxDestination<DeliverWebhookDestination>();
        services.AddSingleton<Access>();
        // Operators act for their office's programmes: participants says which office a programme is (asked only
        // when an operator reads or resends; events and sending never wait for it).
        services.AddServiceClient<ParticipantsInternalService.ParticipantsInternalServiceClient>("participants", CallIdentity.Service);
        services.AddProgrammeOffices<ProgrammeOffices>(builder.Configuration);
        services.AddOutboxDestination<SendMessageDestination>();

        // Every channel is registered; the sender uses those whose settings are present (read when it runs, so
        // configuration added after this point — a test host's — counts). The dev outbox takes every message in the local run.
        services.AddSingleton<DevOutboxChannel>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<DevOutboxChannel>());
        services.AddHttpClient<WhatsAppChannel>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddTransient<INotificationChannel>(sp => sp.GetRequiredService<WhatsAppChannel>());
        services.AddHttpClient<SmsChannel>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddTransient<INotificationChannel>(sp => sp.GetRequiredService<SmsChannel>());
        services.AddSingleton<EmailChannel>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<EmailChannel>());
        services.AddHttpClient<WebPushChannel>(c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddTransient<INotificationChannel>(sp => sp.GetRequiredService<WebPushChannel>());
        return builder;
    }

    public static WebApplication MapNotificationsService(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapGrpcService<NotificationsGrpcService>();
        app.MapGrpcService<NotificationsInternalGrpcService>();
        app.MapProviderCallbacks();
        if (app.Services.GetRequiredService<IOptions<NotificationsOptions>>().Value.DevOutbox)
        {
            app.MapDevOutbox();
        }
        return app;
    }
}

/// <summary>This service's own outbox rows: send one message when it is due.</summary>
internal sealed class SendMessageDestination(MessageSender sender) : OutboxDestination<SendMessageRequest>
{
    public override string Name => EventIntake.SendDestination;

    protected override Task SendAsync(SendMessageRequest request, CancellationToken cancellationToken) =>
        sender.SendAsync(request.MessageId, cancellationToken);
}

/// <summary>This service's own outbox rows: deliver one webhook delivery.</summary>
internal sealed class DeliverWebhookDestination(IServiceProvider services) : OutboxDestination<DeliverWebhookRequest>
{
    public override string Name => Webhooks.DeliverDestination;

    // The typed client is transient (its HttpClient comes from the factory): one per delivery.
    protected override Task SendAsync(DeliverWebhookRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<WebhookDeliverer>().DeliverAsync(request.DeliveryId, cancellationToken);
}
