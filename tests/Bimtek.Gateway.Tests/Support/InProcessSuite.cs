using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace Bimtek.Gateway.Tests.Support;

/// <summary>
/// The seven real services (their Programs, each on its own SQLite database) in-process behind one real
/// gateway. They trust only the gateway's public key; their calls to each other go through
/// <see cref="Downstream"/> routes to the other in-process hosts, with a service identity signed by the
/// gateway's key (what the gateway's client-credentials endpoint would issue).
/// </summary>
public sealed class InProcessSuite : IAsyncDisposable
{
    private static readonly string[] _callees = ["participants", "materials", "production", "distribution", "coordinator", "identity", "notifications"];

    private readonly string _identityKeys = Path.Combine(Path.GetTempPath(), "bimtek-tests", "gateway-identity-keys-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, TestDatabase> _databases = [];
    private readonly Dictionary<string, TestHost> _hosts = [];
    private FakeBackends? _backends;

    private InProcessSuite()
    {
    }

    public GatewayHost Gateway { get; private set; } = null!;

    public TestHost this[string service] => _hosts[service];

    public static async Task<InProcessSuite> StartAsync()
    {
        var suite = new InProcessSuite();
        foreach (var service in _callees)
        {
            suite._databases[service] = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "gateway-bola-" + service);
        }
        var downstream = new Downstream();
        foreach (var callee in _callees)
        {
            downstream.Route(callee, () => suite._hosts[callee].CreateHandler());
        }
        var trustGateway = new Dictionary<string, string?> { ["Auth:PublicKeyPem"] = Callers.GatewayPublicKeyPem, ["Outbox:PollInterval"] = "00:00:00.200" };
        void SignedByGateway(IServiceCollection services)
        {
            services.RemoveAll<IServiceTokenSource>();
            services.AddSingleton<IServiceTokenSource>(new GatewaySignedServiceTokens());
        }
        // The coordinator first: participants tells it about enrolments, production about output.
        var coordinatorSettings = new Dictionary<string, string?>(trustGateway)
        {
            ["Orleans:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = "gateway-bola-" + Guid.NewGuid().ToString("N")[..8],
        };
        suite._hosts["coordinator"] = new ServiceHost<Bimtek.Coordinator.Program>(suite._databases["coordinator"], downstream, coordinatorSettings, SignedByGateway);
        suite._hosts["participants"] = new ServiceHost<Bimtek.Participants.Program>(suite._databases["participants"], downstream, trustGateway, SignedByGateway);
        suite._hosts["materials"] = new ServiceHost<Bimtek.Materials.Program>(suite._databases["materials"], downstream, trustGateway, SignedByGateway);
        suite._hosts["distribution"] = new ServiceHost<Bimtek.Distribution.Program>(suite._databases["distribution"], downstream, trustGateway, SignedByGateway);
        suite._hosts["production"] = new ServiceHost<Bimtek.Production.Program>(suite._databases["production"], downstream, trustGateway, SignedByGateway);
        var identitySettings = new Dictionary<string, string?>(trustGateway)
        {
            ["Identity:Issuer"] = "http://localhost/",
            ["Identity:KeyDirectory"] = suite._identityKeys,
        };
        suite._hosts["identity"] = new ServiceHost<Bimtek.Identity.Program>(suite._databases["identity"], downstream, identitySettings, SignedByGateway);
        // Notifications: messages go to its dev outbox; it asks participants for programmes' offices.
        var notificationsSettings = new Dictionary<string, string?>(trustGateway) { ["Notifications:DevOutbox"] = "true" };
        suite._hosts["notifications"] = new ServiceHost<Bimtek.Notifications.Program>(suite._databases["notifications"], downstream, notificationsSettings, SignedByGateway);

        suite._backends = await FakeBackends.StartAsync();
        suite.Gateway = new GatewayHost(suite._backends);
        foreach (var service in _callees)
        {
            suite.Gateway.Router.Replace(service, suite._hosts[service]);
        }
        return suite;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var service in new[] { "notifications", "identity", "production", "distribution", "materials", "participants", "coordinator" })
        {
            if (_hosts.TryGetValue(service, out var host))
            {
                await host.DisposeAsync();
            }
        }
        if (_backends is not null)
        {
            await _backends.DisposeAsync();
        }
        foreach (var database in _databases.Values)
        {
            database.Dispose();
        }
        if (Directory.Exists(_identityKeys))
        {
            Directory.Delete(_identityKeys, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A relay's service identity, signed with the gateway's key like the token endpoint's.</summary>
    private sealed class GatewaySignedServiceTokens : IServiceTokenSource
    {
        private static readonly SecurityKey _gatewayKey = LoadGatewayKey();

        public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(TestTokens.Mint("bola-relay", [Roles.Service], TimeSpan.FromMinutes(10), key: _gatewayKey));

        private static ECDsaSecurityKey LoadGatewayKey()
        {
            var key = ECDsa.Create();
            key.ImportFromPem(Callers.GatewayPrivateKeyPem);
            return new ECDsaSecurityKey(key);
        }
    }
}
