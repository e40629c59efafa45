using Bimtek.Data.Persistence;
using Bimtek.Distribution.Api;
using Bimtek.Distribution.Application;
using Bimtek.Distribution.Documents;
using Bimtek.Distribution.Domain;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Health;
using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Offices;
using Microsoft.Extensions.Options;

namespace Bimtek.Distribution.Hosting;

public static class DistributionHosting
{
    public const string ServiceName = "distribution";

    public static WebApplicationBuilder AddDistributionService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(DistributionHosting).Assembly);

        var services = builder.Services;
        // Operators and integrators act for their office's programmes only: each programme's office comes from participants.
        services.AddProgrammeOffices<ProgrammeOffices>(builder.Configuration);
        services.AddServiceClient<Bimtek.Participants.V1.ParticipantsInternalService.ParticipantsInternalServiceClient>("participants", CallIdentity.Service);
        services.AddServiceClient<Bimtek.Participants.V1.ParticipantsService.ParticipantsServiceClient>("participants", CallIdentity.Service);
        services.AddOptions<DistributionOptions>()
            .Bind(builder.Configuration.GetSection(DistributionOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.OfficeCode), "Distribution:OfficeCode must be set.")
            .Validate(o => o.OfficeCode.Length <= 64, "Distribution:OfficeCode must be at most 64 characters.")
            .ValidateOnStart();
        // Parsed once: a bad Distribution:DocumentNumberFormat stops the host at start-up with the reason.
        services.AddSingleton(sp => DocumentNumberFormat.Parse(sp.GetRequiredService<IOptions<DistributionOptions>>().Value.DocumentNumberFormat));
        services.AddSingleton<HandoverDocumentRenderer>();
        // The handover document and the reports name programmes (participants) and goods (materials).
        services.AddSingleton<CatalogueNames>();
        services.AddServiceClient<Bimtek.Materials.V1.MaterialsService.MaterialsServiceClient>("materials", CallIdentity.Service);
        // Recipient users' accounts follow the recipients into the identity service (Distribution:SendAccountChanges).
        services.AddSingleton<RecipientAccounts>();
        services.AddServiceClient<Bimtek.Identity.V1.IdentityInternalService.IdentityInternalServiceClient>("identity", CallIdentity.Service);
        services.AddOutboxDestination<RecipientAccountDestination>();
        // Recipients hear of their handovers through the notifications service (Distribution:SendNotifications).
        services.AddSingleton<HandoverNotifications>();
        services.AddSingleton<HandoverConfirmations>();
        services.AddServiceClient<Bimtek.Notifications.V1.NotificationsInternalService.NotificationsInternalServiceClient>("notifications", CallIdentity.Service);
        services.AddOutboxDestination<NotificationEventDestination>();
        // The use cases the handlers call (Application/).
        services.AddSingleton<Recipients>();
        services.AddSingleton<Goods>();
        services.AddSingleton<Handovers>();
        services.AddSingleton<OnwardDeliveries>();
        services.AddSingleton<Reports>();
        services.AddHealthChecks().AddCheck<DocumentFontsHealthCheck>("document-fonts", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    public static WebApplication MapDistributionService(this WebApplication app)
    {
        // Resolve now so a bad document number format fails the start, not the first handover.
        _ = app.Services.GetRequiredService<DocumentNumberFormat>();
        DejaVuFontResolver.InstallGlobally(app.Services.GetRequiredService<IOptions<DistributionOptions>>().Value.FontDirectory);
        app.MapServiceDefaults();
        app.MapGrpcService<DistributionGrpcService>();
        app.MapGrpcService<DistributionInternalGrpcService>();
        return app;
    }
}
