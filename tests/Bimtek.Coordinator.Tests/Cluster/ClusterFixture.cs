using System.Collections.Concurrent;
using Bimtek.Coordinator.Grains;
using Bimtek.Coordinator.Grains.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Bimtek.Coordinator.Tests.Cluster;

/// <summary>Records the behind-schedule requests the grains ask participants for.</summary>
public sealed class RecordingAssistanceSender : IAssistanceRequestSender
{
    public ConcurrentQueue<BehindScheduleNotice> Notices { get; } = new();

    public Task OpenBehindScheduleAsync(BehindScheduleNotice notice, CancellationToken cancellationToken)
    {
        Notices.Enqueue(notice);
        return Task.CompletedTask;
    }
}

/// <summary>Records the integrator events the grains deliver; while <see cref="Down"/> every delivery fails as an unreachable notifications would.</summary>
public sealed class RecordingEventSender : IIntegratorEventSender
{
    private volatile bool _down;
    private int _failedCalls;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public ConcurrentQueue<(string ProgrammeId, IntegratorEvent Event)> Delivered { get; } = new();

    public int FailedCalls => Volatile.Read(ref _failedCalls);

    public IReadOnlyList<IntegratorEvent> Of(string programmeId) => [.. Delivered.Where(d => d.ProgrammeId == programmeId).Select(d => d.Event)];

    public Task SendAsync(string programmeId, string timeZone, IntegratorEvent integratorEvent, CancellationToken cancellationToken)
    {
        if (Down)
        {
            Interlocked.Increment(ref _failedCalls);
            throw new HttpRequestException("Connection refused (test: notifications is down)");
        }
        Delivered.Enqueue((programmeId, integratorEvent));
        return Task.CompletedTask;
    }
}

/// <summary>
/// One in-process silo with in-memory storage and reminders, a fake clock, a recording
/// participants stand-in and a recording notifications stand-in (integrator events on). Tests share it and isolate themselves by programme id.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero));

    public RecordingAssistanceSender Assistance { get; } = new();

    public RecordingEventSender Events { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .AddMemoryGrainStorage(StorageNames.Provider)
            .UseInMemoryReminderService());
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<TimeProvider>(Time);
            host.Services.AddSingleton<IAssistanceRequestSender>(Assistance);
            host.Services.AddOptions<PaceOptions>();
            host.Services.AddSingleton<IIntegratorEventSender>(Events);
            host.Services.Configure<IntegratorEventOptions>(o =>
            {
                o.SendNotifications = true;
                o.EventRetryDelay = TimeSpan.FromMilliseconds(50);
                o.EventMaxRetryDelay = TimeSpan.FromMilliseconds(200);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
