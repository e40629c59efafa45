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

/// <summary>
/// One in-process silo with in-memory storage and reminders, a fake clock and a recording
/// participants stand-in. Tests share it and isolate themselves by programme id.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero));

    public RecordingAssistanceSender Assistance { get; } = new();

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
