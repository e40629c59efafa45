using Bimtek.Coordinator.V1;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.V1;
using Bimtek.Materials.V1;
using Bimtek.Participants.V1;
using Bimtek.Production.Api;
using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Hosting;
using Bimtek.ServiceDefaults.Offices;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Hosting;

public static class ProductionHosting
{
    public const string ServiceName = "production";

    public static WebApplicationBuilder AddProductionService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(ServiceName);
        builder.AddGrpcDefaults();
        builder.AddServiceDatabase(ServiceName, typeof(ProductionHosting).Assembly);

        var services = builder.Services;
        services.AddOptions<ProductionOptions>().Bind(builder.Configuration.GetSection(ProductionOptions.Section));

        // Synchronous checks and consumption run with production's own identity: CheckEnrolment and
        // ConsumeForOutput are internal RPCs; production verifies its caller itself (ProgrammeDirectory).
        services.AddServiceClient<ParticipantsInternalService.ParticipantsInternalServiceClient>("participants", CallIdentity.Service);
        services.AddServiceClient<ParticipantsService.ParticipantsServiceClient>("participants", CallIdentity.Service);
        services.AddServiceClient<MaterialsInternalService.MaterialsInternalServiceClient>("materials", CallIdentity.Service);
        services.AddServiceClient<MaterialsService.MaterialsServiceClient>("materials", CallIdentity.Service);
        // Effects through the outbox, delivered by the relay with the service identity.
        services.AddServiceClient<QuotaInternalService.QuotaInternalServiceClient>("coordinator", CallIdentity.Service);
        services.AddServiceClient<DistributionInternalService.DistributionInternalServiceClient>("distribution", CallIdentity.Service);
        services.AddOutboxDestination<CoordinatorOutputDestination>();
        services.AddOutboxDestination<CoordinatorInspectionDestination>();
        services.AddOutboxDestination<DistributionAcceptedDestination>();
        // Rejections, rework and units waiting for sign-off are told to people (Production:SendNotifications).
        services.AddServiceClient<Bimtek.Notifications.V1.NotificationsInternalService.NotificationsInternalServiceClient>("notifications", CallIdentity.Service);
        services.AddOutboxDestination<NotificationEventDestination>();
        services.AddSingleton<NotificationEvents>();

        services.AddSingleton<ProgrammeDirectory>();
        // Operators and integrators act for their office's programmes (participants says which office a programme is).
        services.AddProgrammeOffices<ProgrammeOffices>(builder.Configuration);
        services.AddSingleton<ProductCatalog>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<ReportSettlement>();
        services.AddSingleton<OutputReportWorkflow>();
        services.AddSingleton<DistributionEvents>();
        services.AddSingleton<InspectionAccess>();
        services.AddSingleton<InspectionWorkflow>();
        services.AddSingleton<InspectionSignOff>();
        services.AddSingleton<Checklists>();
        services.AddSingleton<ProductionQueries>();
        services.AddSingleton<ListReads>();
        services.AddSingleton<OutputViews>();
        services.AddPhotos(builder.Configuration);
        services.AddSingleton<PendingReportReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingReportReconciler>());
        return builder;
    }

    public static WebApplication MapProductionService(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapGrpcService<ProductionGrpcService>();
        app.MapPhotoEndpoints();
        app.MapVideoEndpoints();
        return app;
    }

    /// <summary>Photos and lesson videos: options, the media store (<c>Photos:Store</c> = disk | s3), their tables and use cases.</summary>
    private static IServiceCollection AddPhotos(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PhotoOptions>().Bind(configuration.GetSection(PhotoOptions.Section));
        services.AddSingleton<IMediaStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PhotoOptions>>().Value;
            if (string.Equals(options.Store, "s3", StringComparison.OrdinalIgnoreCase))
            {
                return new S3MediaStore(S3MediaStore.CreateClient(options.S3), options.S3);
            }
            if (!string.Equals(options.Store, "disk", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Photos:Store must be 'disk' or 's3', not '{options.Store}'.");
            }
            var directory = string.IsNullOrEmpty(options.Directory)
                ? Path.Combine(configuration["Database:DataDirectory"] ?? "data", "media")
                : options.Directory;
            return new LocalDiskMediaStore(directory);
        });
        services.AddSingleton<PhotoStore>();
        services.AddSingleton(sp => new MediaUploads<PhotoRow>(sp.GetRequiredService<PhotoStore>(), sp.GetRequiredService<IMediaStore>(), "photo"));
        services.AddSingleton<PhotoLibrary>();
        // Lesson videos share the media store (Videos:*).
        services.AddOptions<VideoOptions>().Bind(configuration.GetSection(VideoOptions.Section));
        services.AddSingleton<VideoStore>();
        services.AddSingleton(sp => new MediaUploads<VideoRow>(sp.GetRequiredService<VideoStore>(), sp.GetRequiredService<IMediaStore>(), "video"));
        services.AddSingleton<VideoLibrary>();
        return services;
    }
}
