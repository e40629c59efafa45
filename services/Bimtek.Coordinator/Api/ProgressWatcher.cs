using System.Threading.Channels;
using Bimtek.Coordinator.Abstractions;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// Receives a programme's live updates for one streaming call. Bounded: a slow reader loses the
/// oldest updates, never the silo's memory.
/// </summary>
internal sealed class ProgressWatcher : IProgrammeProgressObserver
{
    private readonly Channel<ProgrammeProgressView> _updates = Channel.CreateBounded<ProgrammeProgressView>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<ProgrammeProgressView> Updates => _updates.Reader;

    public Task OnProgress(ProgrammeProgressView update)
    {
        _updates.Writer.TryWrite(update);
        return Task.CompletedTask;
    }
}
