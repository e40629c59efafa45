/// <summary>
/// The suite as Aspire resources: six services and the gateway, each a separate process with a
/// fixed loopback port pair (gRPC over h2c, REST over HTTP/1.1), all on one data folder.
/// </summary>
internal static class SuiteModel
{
    /// <summary>The development API key printed at start-up; its SHA-256 is in the gateway's development settings.</summary>
    public const string DevelopmentApiKey = "bimtek-dev-operator-key";

    /// <summary>The development operator account the identity service creates in the local run (never elsewhere).</summary>
    public const string DevelopmentOperatorEmail = "operator@bimtek.local";

    public const string DevelopmentOperatorPassword = "operator-dev-2020";

    private const int IdentityRestPort = 5116;

    private const int NotificationsRestPort = 5117;

    public static void AddBimtekSuite(this IDistributedApplicationBuilder builder)
    {
        var settings = SuiteSettings.From(builder);
        Directory.CreateDirectory(settings.DataDirectory);

        var coordinator = builder.AddSuiteService<Projects.Bimtek_Coordinator>("coordinator", 5105, 5115, settings);
        var participants = builder.AddSuiteService<Projects.Bimtek_Participants>("participants", 5101, 5111, settings)
            .WithReference(coordinator);
        coordinator.WithReference(participants);
        // Materials and distribution learn each programme's office from participants (operators act for their office's).
        var materials = builder.AddSuiteService<Projects.Bimtek_Materials>("materials", 5102, 5112, settings)
            .WithReference(participants);
        // Distribution also names programmes and goods on its documents and reports (participants, materials).
        var distribution = builder.AddSuiteService<Projects.Bimtek_Distribution>("distribution", 5104, 5114, settings)
            .WithReference(participants)
            .WithReference(materials)
            .WithEnvironment("Distribution__SendAccountChanges", "true");
        var production = builder.AddSuiteService<Projects.Bimtek_Production>("production", 5103, 5113, settings)
            .WithReference(participants)
            .WithReference(materials)
            .WithReference(coordinator)
            .WithReference(distribution);

        var dashboard = Loopback(settings.GatewayRestPort) + "/";
        var identity = builder.AddSuiteService<Projects.Bimtek_Identity>("identity", 5106, IdentityRestPort, settings)
            .WithEnvironment("Identity__Issuer", Loopback(IdentityRestPort) + "/")
            .WithEnvironment("Identity__KeyDirectory", Path.Combine(settings.DataDirectory, "keys"))
            .WithEnvironment("Identity__DevelopmentOperator__Email", DevelopmentOperatorEmail)
            .WithEnvironment("Identity__DevelopmentOperator__Password", DevelopmentOperatorPassword)
            .WithEnvironment("Identity__DevInbox", "true")
            .WithEnvironment("Identity__DefaultReturnUrl", dashboard + "#/signin")
            .WithEnvironment("Identity__Dashboard__RedirectUris__0", dashboard + "signin-callback.html")
            .WithEnvironment("Identity__Dashboard__PostLogoutRedirectUris__0", dashboard)
            // The field app (/app/) signs people in as the same public client, on its own page.
            .WithEnvironment("Identity__Dashboard__RedirectUris__1", dashboard + "app/signin-callback.html")
            .WithEnvironment("Identity__Dashboard__PostLogoutRedirectUris__1", dashboard + "app/");
        // Accounts follow people: participants' and distribution's outboxes deliver to identity.
        participants.WithReference(identity).WithEnvironment("Participants__SendAccountChanges", "true");
        distribution.WithReference(identity);

        // Notifications: the local run sends nothing out; every message lands in its dev outbox (log and /dev/outbox).
        var notifications = builder.AddSuiteService<Projects.Bimtek_Notifications>("notifications", 5107, NotificationsRestPort, settings)
            .WithEnvironment("Notifications__DevOutbox", "true")
            // Operators' office check: participants tells each programme's office.
            .WithReference(participants);
        // Events through the senders' outboxes (identity's codes and invitations by a direct call).
        participants.WithReference(notifications).WithEnvironment("Participants__SendNotifications", "true");
        materials.WithReference(notifications).WithEnvironment("Materials__SendNotifications", "true");
        production.WithReference(notifications).WithEnvironment("Production__SendNotifications", "true");
        distribution.WithReference(notifications).WithEnvironment("Distribution__SendNotifications", "true");
        identity.WithReference(notifications).WithEnvironment("Identity__SendThroughNotifications", "true");
        // Quota changes and programme completions for integrators' webhooks (kept in the grains until delivered).
        coordinator.WithReference(notifications).WithEnvironment("Coordinator__SendNotifications", "true");

        var services = new[] { participants, materials, production, distribution, coordinator, identity, notifications };
        var gateway = builder.AddProject<Projects.Bimtek_Gateway>("gateway", launchProfileName: null)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEndpoint(port: settings.GatewayRestPort, scheme: "http", name: "rest", isProxied: false)
            .WithEndpoint(port: settings.GatewayGrpcPort, scheme: "http", name: "grpc", isProxied: false)
            .WithEnvironment("Kestrel__Endpoints__Rest__Url", Loopback(settings.GatewayRestPort))
            .WithEnvironment("Kestrel__Endpoints__Grpc__Url", Loopback(settings.GatewayGrpcPort))
            .WithEnvironment("Gateway__DataDirectory", settings.DataDirectory)
            .WithEnvironment("Gateway__Jwt__Authority", Loopback(IdentityRestPort) + "/")
            .WithHttpHealthCheck("/healthz", endpointName: "rest");
        foreach (var service in services)
        {
            gateway.WithReference(service).WaitFor(service);
        }

        builder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (_, _) =>
        {
            Console.WriteLine($"""

                Bimtek suite is ready ({(settings.Postgres is null ? "embedded SQLite in " + settings.DataDirectory : "PostgreSQL")}).
                  Gateway REST : http://127.0.0.1:{settings.GatewayRestPort}   (API docs: /docs)
                  Gateway gRPC : http://127.0.0.1:{settings.GatewayGrpcPort}   (h2c)
                  Dashboard    : {builder.Configuration["ASPNETCORE_URLS"] ?? "http://localhost:18888"}
                  Dev API key  : {DevelopmentApiKey}   (header X-Api-Key; roles operator, integrator)
                  Sign-in      : {Loopback(IdentityRestPort)}/account/signin   (dev inbox: /dev/inbox)
                  Messages     : {Loopback(NotificationsRestPort)}/dev/outbox   (nothing leaves this machine)
                  Dev operator : {DevelopmentOperatorEmail} / {DevelopmentOperatorPassword}
                Press Ctrl+C to stop everything.

                """);
            return Task.CompletedTask;
        });
    }

    /// <summary>The development secret of a service's client-credentials identity at the gateway.</summary>
    public static string DevelopmentClientSecret(string service) => "bimtek-dev-" + service + "-secret";

    private static string Loopback(int port) => "http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IResourceBuilder<ProjectResource> AddSuiteService<TProject>(
        this IDistributedApplicationBuilder builder, string name, int grpcPort, int restPort, SuiteSettings settings)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name, launchProfileName: null)
            .WithEndpoint(port: grpcPort, scheme: "http", name: "grpc", isProxied: false)
            .WithEndpoint(port: restPort, scheme: "http", name: "rest", isProxied: false)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEnvironment("Kestrel__Endpoints__Grpc__Url", Loopback(grpcPort))
            .WithEnvironment("Kestrel__Endpoints__Rest__Url", Loopback(restPort))
            .WithEnvironment("Database__DataDirectory", settings.DataDirectory)
            .WithEnvironment("Auth__PublicKeyFile", Path.Combine(settings.DataDirectory, "keys", "gateway-signing.public.pem"))
            .WithEnvironment("Auth__TokenEndpoint", Loopback(settings.GatewayRestPort) + "/connect/token")
            .WithEnvironment("Auth__ClientId", name)
            .WithEnvironment("Auth__ClientSecret", DevelopmentClientSecret(name))
            .WithHttpHealthCheck("/readyz", endpointName: "rest");
        if (settings.Postgres is { } postgres)
        {
            service.WithEnvironment("ConnectionStrings__Postgres", postgres.ForDatabase("bimtek_" + name));
        }
        return service;
    }
}
