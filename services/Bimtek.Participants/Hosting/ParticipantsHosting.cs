using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Persistence;

namespace Bimtek.Participants.Hosting;

public static class ParticipantsHosting
{
    public const string ServiceName = "participants";

    public static WebApplicationBuilder AddParticipantsService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(ParticipantsHosting).Assembly);
        return builder;
    }

    public static WebApplication MapParticipantsService(this WebApplication app)
    {
        app.MapServiceDefaults();
        return app;
    }
}
