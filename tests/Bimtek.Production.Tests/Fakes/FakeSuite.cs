using Bimtek.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Production.Tests.Fakes;

/// <summary>
/// One in-process host serving the four fakes, and a <see cref="Downstream"/> whose routes can be
/// switched off per service (a refused connection, as when the service is down).
/// </summary>
public sealed class FakeSuite : IAsyncDisposable
{
    private readonly WebTestHost _host;

    private FakeSuite(WebTestHost host, FakeParticipants participants, FakeMaterials materials, FakeQuota quota, FakeDistribution distribution)
    {
        _host = host;
        Participants = participants;
        Materials = materials;
        Quota = quota;
        Distribution = distribution;
    }

    public FakeParticipants Participants { get; }
    public FakeMaterials Materials { get; }
    public FakeQuota Quota { get; }
    public FakeDistribution Distribution { get; }

    private HashSet<string> Down { get; } = [];

    /// <summary>Makes a service unreachable (or reachable again) for every host routed through this suite.</summary>
    public void SetDown(string name, bool down)
    {
        lock (Down)
        {
            if (down)
            {
                Down.Add(name);
            }
            else
            {
                Down.Remove(name);
            }
        }
    }

    public static async Task<FakeSuite> StartAsync()
    {
        FakeParticipants participants = new();
        FakeMaterials materials = new();
        FakeQuota quota = new();
        FakeDistribution distribution = new();
        var host = await WebTestHost.StartAsync(
            builder =>
            {
                builder.Services.AddGrpc();
                builder.Services.AddSingleton(participants);
                builder.Services.AddSingleton(materials);
                builder.Services.AddSingleton(quota);
                builder.Services.AddSingleton(distribution);
            },
            app =>
            {
                app.MapGrpcService<FakeParticipants>();
                app.MapGrpcService<FakeParticipantsInternal>();
                app.MapGrpcService<FakeMaterials>();
                app.MapGrpcService<FakeMaterialsInternal>();
                app.MapGrpcService<FakeQuota>();
                app.MapGrpcService<FakeDistribution>();
            });
        return new FakeSuite(host, participants, materials, quota, distribution);
    }

    /// <summary>Routes production's four clients here, each through a switch that <see cref="Down"/> controls.</summary>
    public Downstream Downstream()
    {
        var downstream = new Downstream();
        foreach (var name in new[] { "participants", "materials", "coordinator", "distribution" })
        {
            downstream.Route(name, () => new Switch(this, name) { InnerHandler = _host.CreateHandler() });
        }
        return downstream;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private sealed class Switch(FakeSuite suite, string name) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            bool down;
            lock (suite.Down)
            {
                down = suite.Down.Contains(name);
            }
            return down
                ? throw new HttpRequestException($"Connection refused (test: {name} is down)")
                : base.SendAsync(request, cancellationToken);
        }
    }
}
