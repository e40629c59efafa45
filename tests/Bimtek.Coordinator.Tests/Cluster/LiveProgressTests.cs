using System.Threading.Channels;
using Bimtek.Coordinator.Abstractions;

namespace Bimtek.Coordinator.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class LiveProgressTests(ClusterFixture fixture)
{
    private sealed class Watcher : IProgrammeProgressObserver
    {
        public Channel<ProgrammeProgressView> Updates { get; } = Channel.CreateUnbounded<ProgrammeProgressView>();

        public Task OnProgress(ProgrammeProgressView update)
        {
            Updates.Writer.TryWrite(update);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Watchers_get_the_changed_trainee_after_each_effect()
    {
        var s = new Scenario(fixture.Grains);
        await s.EnrolMany(3);
        var watcher = new Watcher();
        var reference = fixture.Cluster.Client.CreateObjectReference<IProgrammeProgressObserver>(watcher);
        await s.Programme.Subscribe(reference);

        await s.Output("t2", 6);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var update = await watcher.Updates.Reader.ReadAsync(timeout.Token);
        var row = Assert.Single(update.Trainees);
        Assert.Equal(("t2", 6), (row.TraineeId, row.Counters.Produced));
        Assert.Equal(6, update.Summary.Produced);

        await s.Programme.Unsubscribe(reference);
        fixture.Cluster.Client.DeleteObjectReference<IProgrammeProgressObserver>(reference);
        await s.Output("t2", 1);
        Assert.Equal(7, (await s.Progress()).Summary.Produced);
    }
}
