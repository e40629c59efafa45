/// <summary>
/// The suite as Aspire resources: seven services and the gateway, each a separate process with a
/// fixed loopback port pair (gRPC over h2c, REST over HTTP/1.1), all on one data folder.
/// Each runs as <c>dotnet &lt;its built dll&gt;</c>, not as an Aspire project resource: DCP starts a project
/// resource with <c>dotnet run --project … --no-build</c>, an MSBuild evaluation per service that on a
/// two-core machine cost more time than the services' own start (issue 19, B4). Building the AppHost
/// builds them (project references), in the AppHost's own configuration.
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
            .WithServiceReference(coordinator);
        coordinator.WithServiceReference(participants);
        // Materials and distribution learn each programme's office from participants (operators act for their office's).
        var materials = builder.AddSuiteService<Projects.Bimtek_Materials>("materials", 5102, 5112, settings)
            .WithServiceReference(participants);
        // Distribution also names programmes and goods on its documents and reports (participants, materials).
        var distribution = builder.AddSuiteService<Projects.Bimtek_Distribution>("distribution", 5104, 5114, settings)
            .WithServiceReference(participants)
            .WithServiceReference(materials)
            .WithEnvironment("Distribution__SendAccountChanges", "true");
        var production = builder.AddSuiteService<Projects.Bimtek_Production>("production", 5103, 5113, settings)
            .WithServiceReference(participants)
            .WithServiceReference(materials)
            .WithServiceReference(coordinator)
            .WithServiceReference(distribution);

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
        participants.WithServiceReference(identity).WithEnvironment("Participants__SendAccountChanges", "true");
        distribution.WithServiceReference(identity);

        // Notifications: the local run sends nothing out; every message lands in its dev outbox (log and /dev/outbox).
        var notifications = builder.AddSuiteService<Projects.Bimtek_Notifications>("notifications", 5107, NotificationsRestPort, settings)
            .WithEnvironment("Notifications__DevOutbox", "true")
            // Operators' office check: participants tells each programme's office.
            .WithServiceReference(participants);
        // Events through the senders' outboxes (identity's codes and invitations by a direct call).
        participants.WithServiceReference(notifications).WithEnvironment("Participants__SendNotifications", "true");
        materials.WithServiceReference(notifications).WithEnvironment("Materials__SendNotifications", "true");
        production.WithServiceReference(notifications).WithEnvironment("Production__SendNotifications", "true");
        distribution.WithServiceReference(notifications).WithEnvironment("Distribution__SendNotifications", "true");
        identity.WithServiceReference(notifications).WithEnvironment("Identity__SendThroughNotifications", "true");
        // Quota changes and programme completions for integrators' webhooks (kept in the grains until delivered).
        coordinator.WithServiceReference(notifications).WithEnvironment("Coordinator__SendNotifications", "true");

        var services = new[] { participants, materials, production, distribution, coordinator, identity, notifications };
        var gateway = builder.AddBuiltProject<Projects.Bimtek_Gateway>("gateway")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
            .WithEndpoint(port: settings.GatewayRestPort, scheme: "http", name: "rest", isProxied: false)
            .WithEndpoint(port: settings.GatewayGrpcPort, scheme: "http", name: "grpc", isProxied: false)
            .WithEnvironment("Kestrel__Endpoints__Rest__Url", Loopback(settings.GatewayRestPort))
            .WithEnvironment("Kestrel__Endpoints__Grpc__Url", Loopback(settings.GatewayGrpcPort))
            .WithEnvironment("Gateway__DataDirectory", settings.DataDirectory)
            .WithEnvironment("Gateway__Jwt__Authority", Loopback(IdentityRestPort) + "/")
            // Started beside the services, not after them: its /readyz is green once every service it routes to is
            // ready (DownstreamReadinessCheck), so "ready" below still means the whole suite.
            .WithHttpHealthCheck("/readyz", endpointName: "rest");
        foreach (var service in services)
        {
            gateway.WithServiceReference(service);
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

    /// <summary>
    /// <c>dotnet &lt;dll&gt;</c> from the project's output folder in the AppHost's own configuration and target framework
    /// (the folder the AppHost runs from is <c>bin/&lt;configuration&gt;/&lt;framework&gt;/</c>), with that folder as its working
    /// directory, as the test suite's launcher runs them; traces and logs go to the AppHost's dashboard.
    /// </summary>
    private static IResourceBuilder<ExecutableResource> AddBuiltProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var projectPath = new TProject().ProjectPath;
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var output = Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", framework.Parent!.Name, framework.Name);
        var dll = Path.Combine(output, Path.GetFileNameWithoutExtension(projectPath) + ".dll");
        return builder.AddExecutable(name, "dotnet", output, dll).WithOtlpExporter();
    }

    /// <summary>The other service's gRPC and REST addresses as <c>services__&lt;name&gt;__grpc__0</c> and <c>…__rest__0</c>.</summary>
    private static IResourceBuilder<ExecutableResource> WithServiceReference(
        this IResourceBuilder<ExecutableResource> builder, IResourceBuilder<ExecutableResource> service) =>
        builder.WithReference(service.GetEndpoint("grpc")).WithReference(service.GetEndpoint("rest"));

    private static IResourceBuilder<ExecutableResource> AddSuiteService<TProject>(
        this IDistributedApplicationBuilder builder, string name, int grpcPort, int restPort, SuiteSettings settings)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddBuiltProject<TProject>(name)
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
