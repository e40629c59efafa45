using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Time;
using Dapper;
using Google.Protobuf;

namespace Bimtek.Data.Outbox;

/// <summary>Writes outbox rows inside the caller's transaction and wakes the relay after commit.</summary>
public sealed class OutboxWriter(OutboxSignal signal, TimeProvider time)
{
    public async Task<string> EnqueueAsync(DbSession session, string destination, IMessage payload)
    {
        var id = Guid.CreateVersion7().ToString();
        var now = time.NowMs();
        await session.ExecuteAsync(
            "INSERT INTO outbox_messages (id, destination, message_type, payload, created_at, next_attempt_at) " +
            "VALUES (@id, @destination, @type, @payload, @now, @now)",
            new { id, destination, type = payload.Descriptor.FullName, payload = payload.ToByteArray(), now });
        session.AfterCommit(signal.Wake);
        return id;
    }

    /// <summary>
    /// Runs <paramref name="changeSql"/> — one UPDATE of the caller's own row, without RETURNING — and,
    /// only when it changed a row, writes the outbox row for <paramref name="payload"/>; both commit
    /// together or not at all. On PostgreSQL that is ONE statement (a data-modifying WITH), committed on
    /// its own: one round trip instead of four (BEGIN + UPDATE, INSERT, COMMIT). On SQLite, the two in
    /// one transaction. Returns whether the row changed (and so the message was queued).
    /// </summary>
    public async Task<bool> EnqueueIfChangedAsync(
        Database database, string changeSql, object changeParameters, string destination, IMessage payload, CancellationToken cancellationToken)
    {
        if (!database.Dialect.IsPostgres)
        {
            return await database.InTransactionAsync(async s =>
            {
                if (await s.ExecuteAsync(changeSql, changeParameters) == 0)
                {
                    return false;
                }
                await EnqueueAsync(s, destination, payload);
                return true;
            }, cancellationToken);
        }
        var now = time.NowMs();
        var parameters = new DynamicParameters(changeParameters);
        parameters.Add("outbox_id", Guid.CreateVersion7().ToString());
        parameters.Add("outbox_destination", destination);
        parameters.Add("outbox_type", payload.Descriptor.FullName);
        parameters.Add("outbox_payload", payload.ToByteArray());
        parameters.Add("outbox_now", now);
        var queued = await database.ExecuteAsync(
            $"WITH changed AS ({changeSql} RETURNING 1) " +
            "INSERT INTO outbox_messages (id, destination, message_type, payload, created_at, next_attempt_at) " +
            "SELECT @outbox_id, @outbox_destination, @outbox_type, @outbox_payload, @outbox_now, @outbox_now FROM changed",
            parameters, cancellationToken);
        if (queued > 0)
        {
            signal.Wake();
        }
        return queued > 0;
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
