using Bimtek.Coordinator.Api;
using Bimtek.Coordinator.Application;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Health;
using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Offices;

namespace Bimtek.Coordinator.Hosting;

public static class CoordinatorHosting
{
    public const string ServiceName = "coordinator";

    /// <summary>
    /// The host co-hosts an Orleans silo and serves <c>bimtek.coordinator.v1</c> (gRPC and REST) from it.
    /// See <see cref="OrleansStorageSettings"/> for the storage and clustering switches.
    /// </summary>
    public static WebApplicationBuilder AddCoordinatorService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();

        // Connection details and the storage engine are resolved when the host starts; whether to
        // cluster through ADO.NET (Coordinator:Clustering) is decided now, from the configuration
        // visible at registration (environment, appsettings, command line).
        var adoNetClustering = OrleansStorageSettings.AdoNetClusteringFrom(builder.Configuration);
        builder.Services.AddSingleton(sp => OrleansStorageSettings.From(sp.GetRequiredService<IConfiguration>(), adoNetClustering));
        // Registered before the silo's hosted service, so the tables exist when the providers start.
        builder.Services.AddHostedService<OrleansSchemaInstaller>();
        builder.UseOrleans(silo => silo
            .AddCoordinatorClustering(adoNetClustering)
            .AddCoordinatorPersistence());
        builder.Services.AddCoordinatorGrainServices(builder.Configuration);
        builder.Services.AddOptions<WatchOptions>().Bind(builder.Configuration.GetSection(WatchOptions.Section))
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromSeconds(1) && o.HeartbeatInterval <= TimeSpan.FromMinutes(10),
                $"{WatchOptions.Section}:HeartbeatInterval must be between 1 s and 10 min.")
            .ValidateOnStart();

        builder.Services.AddServiceClient<ParticipantsInternalService.ParticipantsInternalServiceClient>("participants", CallIdentity.Service);
        builder.Services.AddSingleton<IAssistanceRequestSender, ParticipantsAssistanceSender>();
        builder.Services.AddSingleton<ITraineeDirectory, ParticipantsTraineeDirectory>();
        // Quota changes and programme completions for integrators' webhooks (Coordinator:SendNotifications).
        builder.Services.AddServiceClient<Bimtek.Notifications.V1.NotificationsInternalService.NotificationsInternalServiceClient>("notifications", CallIdentity.Service);
        builder.Services.AddSingleton<IIntegratorEventSender, NotificationsEventSender>();
        // Operators and integrators read and change their office's programmes' quotas only (every RPC names its programme).
        builder.Services.AddProgrammeOffices<ProgrammeOffices>(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    public static WebApplication MapCoordinatorService(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapGrpcService<QuotaGrpcService>();
        app.MapGrpcService<QuotaInternalGrpcService>();
        return app;
    }
}
