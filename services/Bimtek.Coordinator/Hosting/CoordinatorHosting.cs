using Bimtek.ServiceDefaults.Hosting;

namespace Bimtek.Coordinator.Hosting;

public static class CoordinatorHosting
{
    public const string ServiceName = "coordinator";

    public static WebApplicationBuilder AddCoordinatorService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        return builder;
    }

    public static WebApplication MapCoordinatorService(this WebApplication app)
    {
        app.MapServiceDefaults();
        return app;
    }
}
