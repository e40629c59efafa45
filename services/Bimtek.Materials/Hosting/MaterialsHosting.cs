using Bimtek.Data.Persistence;
using Bimtek.Materials.Api;
using Bimtek.Materials.Application;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Offices;

namespace Bimtek.Materials.Hosting;

public static class MaterialsHosting
{
    public const string ServiceName = "materials";

    public static WebApplicationBuilder AddMaterialsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(MaterialsHosting).Assembly);
        // Operators and integrators act for their office's programmes only: each programme's office comes from participants.
        builder.Services.AddProgrammeOffices<ProgrammeOffices>(builder.Configuration);
        builder.Services.AddServiceClient<Bimtek.Participants.V1.ParticipantsInternalService.ParticipantsInternalServiceClient>("participants", CallIdentity.Service);
        builder.Services.AddOptions<MaterialsOptions>().Bind(builder.Configuration.GetSection(MaterialsOptions.Section));
        // Dispatched kits are told to trainees through notifications (Materials:SendNotifications).
        builder.Services.AddSingleton<KitNotifications>();
        builder.Services.AddServiceClient<Bimtek.Notifications.V1.NotificationsInternalService.NotificationsInternalServiceClient>("notifications", CallIdentity.Service);
        builder.Services.AddOutboxDestination<NotificationEventDestination>();
        // The use cases behind the gRPC handlers, one per area.
        builder.Services.AddSingleton<Catalogue>();
        builder.Services.AddSingleton<Locations>();
        builder.Services.AddSingleton<StockMovements>();
        builder.Services.AddSingleton<TraineeSubjects>();
        builder.Services.AddSingleton<KitPlanning>();
        builder.Services.AddSingleton<OutputConsumption>();
        return builder;
    }

    public static WebApplication MapMaterialsService(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapGrpcService<MaterialsGrpcService>().RequireAuthorization();
        app.MapGrpcService<MaterialsInternalGrpcService>().RequireAuthorization();
        return app;
    }
}
