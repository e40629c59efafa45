using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Persistence;

namespace Bimtek.Production.Hosting;

public static class ProductionHosting
{
    public const string ServiceName = "production";

    public static WebApplicationBuilder AddProductionService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(ProductionHosting).Assembly);
        return builder;
    }

    public static WebApplication MapProductionService(this WebApplication app)
    {
        app.MapServiceDefaults();
        return app;
    }
}
