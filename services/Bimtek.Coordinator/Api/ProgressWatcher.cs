using System.Threading.Channels;
using Bimtek.Coordinator.Abstractions;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// Receives a programme's live updates for one streaming call. Bounded: when a slow reader lets it fill, further
/// updates are not kept (never the silo's memory) and the overflow is flagged, so the stream catches the reader up
/// from its last change sequence instead of silently losing changes.
/// </summary>
internal sealed class ProgressWatcher : IProgrammeProgressObserver
{
    private readonly Channel<ProgrammeProgressView> _updates = Channel.CreateBounded<ProgrammeProgressView>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private int _overflowed;

    public ChannelReader<ProgrammeProgressView> Updates => _updates.Reader;

    public Task OnProgress(ProgrammeProgressView update)
    {
        if (!_updates.Writer.TryWrite(update))
        {
            Volatile.Write(ref _overflowed, 1);
        }
        return Task.CompletedTask;
    }

    /// <summary>Whether updates were left out since the last call (and clears the flag).</summary>
    public bool TakeOverflow() => Interlocked.Exchange(ref _overflowed, 0) == 1;
}
