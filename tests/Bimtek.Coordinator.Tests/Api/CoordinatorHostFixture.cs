using System.Net;
using System.Net.Sockets;
using Bimtek.Coordinator.Application;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bimtek.Coordinator.Tests.Api;

/// <summary>Starts the real coordinator host (its Program, with its silo) on a test database.</summary>
public static class CoordinatorHost
{
    public static ServiceHost<Bimtek.Coordinator.Program> Start(TestDatabase database, IReadOnlyDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? configureServices = null, Downstream? downstream = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            // Parallel tests each run their own silo: give each a free port.
            ["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        return new ServiceHost<Bimtek.Coordinator.Program>(database, downstream, configuration, configureServices);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Participants' answer to "who is this subject", fixed for a test: each subject is one trainee.</summary>
public sealed class FixedTraineeDirectory(params (string Subject, string TraineeId)[] people) : ITraineeDirectory
{
    public Task<bool> IsTraineeAsync(string programmeId, string traineeId, string subject, CancellationToken cancellationToken) =>
        Task.FromResult(people.Contains((subject, traineeId)));

    public static Action<IServiceCollection> Register(params (string Subject, string TraineeId)[] people) =>
        services => services.Replace(ServiceDescriptor.Singleton<ITraineeDirectory>(new FixedTraineeDirectory(people)));
}
