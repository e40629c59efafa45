using System.Net;
using Bimtek.Coordinator.Data;
using Bimtek.Coordinator.Grains;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Data.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Bimtek.Coordinator.Hosting;

/// <summary>
/// Silo configuration shared by the host and the cluster tests. Connection details are read from
/// the container's <see cref="OrleansStorageSettings"/> when the silo starts (not when services are
/// registered), so configuration added late — by a test host, say — still applies.
/// </summary>
public static class CoordinatorSilo
{
    public const string ServiceId = "bimtek-coordinator";

    /// <summary>
    /// Grain state (ADO.NET, our schema) and persistent reminders: the ADO.NET reminder table on
    /// PostgreSQL, <see cref="SqliteReminderTable"/> on SQLite, chosen when the silo starts.
    /// </summary>
    public static ISiloBuilder AddCoordinatorPersistence(this ISiloBuilder silo, OrleansStorageSettings? settings = null)
    {
        if (settings is not null)
        {
            silo.Services.AddSingleton(settings);
        }
        silo.AddAdoNetGrainStorage(StorageNames.Provider, options => options.Configure<OrleansStorageSettings, Serializer>((o, s, serializer) =>
        {
            o.Invariant = s.Invariant;
            o.ConnectionString = s.ConnectionString;
            // Orleans' own binary serializer: version-tolerant through [Id] and [Alias], and cheaper
            // per write than the JSON default.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        // The stock ADO.NET storage cannot run on SQLite in 10.4.2: swap in SqliteGrainStorage there.
        var adoNetStorage = silo.Services.Last(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, StorageNames.Provider));
        silo.Services.Remove(adoNetStorage);
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Provider, (sp, key) =>
            sp.GetRequiredService<OrleansStorageSettings>().Kind == OrleansStorageKind.Postgres
                ? (IGrainStorage)adoNetStorage.KeyedImplementationFactory!(sp, key)
                : ActivatorUtilities.CreateInstance<SqliteGrainStorage>(sp,
                    new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>())));
        silo.UseAdoNetReminderService(options => options.Configure<OrleansStorageSettings>((o, s) =>
        {
            o.Invariant = s.Invariant;
            o.ConnectionString = s.ConnectionString;
        }));
        var adoNetTable = silo.Services.Last(d => d.ServiceType == typeof(IReminderTable));
        silo.Services.Remove(adoNetTable);
        silo.Services.AddSingleton(sp => sp.GetRequiredService<OrleansStorageSettings>().Kind == OrleansStorageKind.Postgres
            ? Create<IReminderTable>(sp, adoNetTable)
            : ActivatorUtilities.CreateInstance<SqliteReminderTable>(sp));
        return silo;
    }

    private static T Create<T>(IServiceProvider services, ServiceDescriptor descriptor) where T : class =>
        (T)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    /// <summary>Membership: one local silo by default, ADO.NET (PostgreSQL) for several.</summary>
    public static ISiloBuilder AddCoordinatorClustering(this ISiloBuilder silo, bool adoNet)
    {
        if (adoNet)
        {
            silo.UseAdoNetClustering(options => options.Configure<OrleansStorageSettings>((o, s) =>
            {
                o.Invariant = s.Invariant;
                o.ConnectionString = s.ConnectionString;
            }));
            silo.Services.AddOptions<EndpointOptions>().Configure<IConfiguration>((o, c) =>
            {
                o.AdvertisedIPAddress = AdvertisedAddress(c["Orleans:AdvertisedIPAddress"]);
            });
        }
        else
        {
            silo.UseLocalhostClustering(serviceId: ServiceId);
            silo.Services.AddOptions<DevelopmentClusterMembershipOptions>().Configure<IConfiguration>((o, c) =>
                o.PrimarySiloEndpoint = new IPEndPoint(IPAddress.Loopback, c.GetValue("Orleans:SiloPort", 11111)));
        }
        silo.Services.AddOptions<EndpointOptions>().Configure<IConfiguration>((o, c) =>
        {
            o.SiloPort = c.GetValue("Orleans:SiloPort", 11111);
            // No gateway by default: clients are co-hosted in every silo.
            o.GatewayPort = c.GetValue("Orleans:GatewayPort", 0);
        });
        silo.Services.AddOptions<ClusterOptions>().Configure<IConfiguration>((o, c) =>
        {
            o.ClusterId = c["Orleans:ClusterId"] ?? ServiceId;
            o.ServiceId = ServiceId;
        });
        return silo;
    }

    /// <summary>
    /// The address a clustered silo gives the others: an IP address, or a host name looked up when the silo
    /// starts — under compose the silo's own service name, since a container's address is known only once it
    /// runs; loopback when unset (several silos on one machine). Two silos advertising the same address and
    /// port declare each other dead.
    /// </summary>
    public static IPAddress AdvertisedAddress(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return IPAddress.Loopback;
        }
        if (IPAddress.TryParse(configured, out var address))
        {
            return address;
        }
        var addresses = Dns.GetHostAddresses(configured);
        return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{configured}' resolves to no address.");
    }

    /// <summary>What the grains need from the container: clock, pace and integrator-event options (and a sender that keeps events waiting, unless one is registered).</summary>
    public static IServiceCollection AddCoordinatorGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PaceOptions>().Bind(configuration.GetSection(PaceOptions.Section));
        services.AddOptions<IntegratorEventOptions>().Bind(configuration.GetSection(IntegratorEventOptions.Section));
        services.TryAddSingleton<IIntegratorEventSender, NoIntegratorEventSender>();
        return services;
    }
}

/// <summary>
/// Creates the Orleans schema before the silo starts (registered ahead of the silo's hosted service), waiting for a
/// database that does not answer yet like every service's schema does (<see cref="UntilReachable"/>).
/// </summary>
public sealed partial class OrleansSchemaInstaller(OrleansStorageSettings settings, ILogger<OrleansSchemaInstaller> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        UntilReachable.RunAsync(ct => OrleansSchema.EnsureAsync(settings, ct),
            (attempt, ex) => LogWaiting(logger, attempt, ex.Message), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the Orleans database (attempt {Attempt}): {Error}")]
    private static partial void LogWaiting(ILogger logger, int attempt, string error);
}
