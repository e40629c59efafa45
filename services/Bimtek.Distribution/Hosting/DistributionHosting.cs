using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Persistence;

namespace Bimtek.Distribution.Hosting;

public static class DistributionHosting
{
    public const string ServiceName = "distribution";

    public static WebApplicationBuilder AddDistributionService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(DistributionHosting).Assembly);
        return builder;
    }

    public static WebApplication MapDistributionService(this WebApplication app)
    {
        app.MapServiceDefaults();
        return app;
    }
}
