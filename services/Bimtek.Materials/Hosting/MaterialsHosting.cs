using Bimtek.Data.Persistence;
using Bimtek.Materials.Api;
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
        return builder;
    }

    public static WebApplication MapMaterialsService(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapGrpcService<MaterialsGrpcService>().RequireAuthorization();
        return app;
    }
}
