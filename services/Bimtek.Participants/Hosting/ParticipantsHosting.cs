using Bimtek.Coordinator.V1;
using Bimtek.Data.Persistence;
using Bimtek.Participants.Api;
using Bimtek.Participants.Application;
using Bimtek.Participants.Data;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Offices;

namespace Bimtek.Participants.Hosting;

public static class ParticipantsHosting
{
    public const string ServiceName = "participants";

    public static WebApplicationBuilder AddParticipantsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(ParticipantsHosting).Assembly);

        builder.Services.AddOptions<ParticipantsOptions>()
            .Bind(builder.Configuration.GetSection(ParticipantsOptions.Section))
            .Validate(o => o.LessonCompletionPercent is >= 1 and <= 100, "Participants:LessonCompletionPercent must be between 1 and 100.")
            .ValidateOnStart();
        // Operators and integrators act for their office's programmes (a province's also for its districts').
        builder.Services.AddProgrammeOffices<ProgrammeOffices>(builder.Configuration);
        // Programmes, offices and enrolment checks answered from memory between writes; other instances' writes are
        // heard through PostgreSQL's notifications.
        builder.Services.AddSingleton<CachedReads>();
        builder.Services.AddDataChangeListener();
        builder.Services.AddSingleton<CoordinatorChanges>();
        builder.Services.AddSingleton<IdentityChanges>();
        // The use cases (Application/), each in the frame of UnitOfWork.
        builder.Services.AddSingleton<UnitOfWork>();
        builder.Services.AddSingleton<AssistanceRequests>();
        builder.Services.AddSingleton<People>();
        builder.Services.AddSingleton<Programmes>();
        builder.Services.AddSingleton<Lessons>();
        builder.Services.AddSingleton<Enrolments>();
        builder.Services.AddSingleton<Attendance>();

        // Programme and enrolment changes reach the coordinator through the outbox, with this
        // service's own identity (the relay runs outside any caller's request).
        builder.Services.AddServiceClient<QuotaInternalService.QuotaInternalServiceClient>("coordinator", CallIdentity.Service);
        builder.Services.AddOutboxDestination<ProgrammeChangeDestination>();
        builder.Services.AddOutboxDestination<EnrolmentChangeDestination>();
        // People's accounts follow them into the identity service (Participants:SendAccountChanges).
        builder.Services.AddServiceClient<Bimtek.Identity.V1.IdentityInternalService.IdentityInternalServiceClient>("identity", CallIdentity.Service);
        builder.Services.AddOutboxDestination<AccountChangeDestination>();
        // Home visits and behind-schedule days are told to people through notifications (Participants:SendNotifications).
        builder.Services.AddSingleton<NotificationEvents>();
        builder.Services.AddSingleton<HomeVisitChanges>();
        builder.Services.AddServiceClient<Bimtek.Notifications.V1.NotificationsInternalService.NotificationsInternalServiceClient>("notifications", CallIdentity.Service);
        builder.Services.AddOutboxDestination<NotificationEventDestination>();
        return builder;
    }

    public static WebApplication MapParticipantsService(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapGrpcService<ParticipantsGrpcService>();
        app.MapGrpcService<ParticipantsInternalGrpcService>();
        return app;
    }
}
