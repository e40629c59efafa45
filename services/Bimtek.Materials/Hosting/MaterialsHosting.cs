using Bimtek.Data.Persistence;
using Bimtek.Materials.Api;
using Bimtek.Materials.Application;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Hosting;

namespace Bimtek.Materials.Hosting;

public static class MaterialsHosting
{
    public const string ServiceName = "materials";

    public static WebApplicationBuilder AddMaterialsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(MaterialsHosting).Assembly);
        builder.Services.AddOptions<MaterialsOptions>().Bind(builder.Configuration.GetSection(MaterialsOptions.Section));
        // Dispatched kits are told to trainees through notifications (Materials:SendNotifications).
        builder.Services.AddSingleton<KitNotifications>();
        builder.Services.AddServiceClient<Bimtek.Notifications.V1.NotificationsService.NotificationsServiceClient>("notifications", CallIdentity.Service);
        builder.Services.AddOutboxDestination<NotificationEventDestination>();
        return builder;
    }

    public static WebApplication MapMaterialsService(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapGrpcService<MaterialsGrpcService>().RequireAuthorization();
        return app;
    }
}
