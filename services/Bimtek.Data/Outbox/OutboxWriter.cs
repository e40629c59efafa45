using Bimtek.Data.Persistence;
using Google.Protobuf;

namespace Bimtek.Data.Outbox;

/// <summary>Writes outbox rows inside the caller's transaction and wakes the relay after commit.</summary>
public sealed class OutboxWriter(OutboxSignal signal, TimeProvider time)
{
    public async Task<string> EnqueueAsync(DbSession session, string destination, IMessage payload)
    {
        var id = Guid.CreateVersion7().ToString();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await session.ExecuteAsync(
            "INSERT INTO outbox_messages (id, destination, message_type, payload, created_at, next_attempt_at) " +
            "VALUES (@id, @destination, @type, @payload, @now, @now)",
            new { id, destination, type = payload.Descriptor.FullName, payload = payload.ToByteArray(), now });
        session.AfterCommit(signal.Wake);
        return id;
    }
}

/// <summary>Lets a commit wake the relay at once instead of waiting for its next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every commit before it.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _wake.WaitAsync(timeout, cancellationToken);
}
