using System.Globalization;
using Bimtek.Data.Persistence;
using Bimtek.Data.Retention;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Bimtek.Data.Idempotency;

/// <summary>
/// Makes a mutating RPC idempotent on its <c>request_id</c> (AIP-155). Insert-first: the key row
/// is inserted in the same transaction as the change, so the unique key — not a prior check —
/// decides who runs the change. A concurrent duplicate waits on that key, then replays the stored
/// response; a failed attempt rolls the key back, so a retry runs again. The same id with a
/// different request is refused with REQUEST_ID_REUSED.
/// Keys are pruned after <see cref="RetentionOptions.IdempotencyKeyWindow"/>: a UUIDv7 request_id
/// older than that window whose key is gone is refused (REQUEST_ID_REUSED), never applied again.
/// </summary>
public sealed class IdempotentExecutor(Database database, IOptions<RetentionOptions> retention, TimeProvider time)
{
    public async Task<TResponse> ExecuteAsync<TResponse>(
        string requestId,
        IMessage request,
        Func<DbSession, Task<TResponse>> work,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        if (!Guid.TryParse(requestId, out var id))
        {
            throw new ValidationException("request_id", "must be a UUID chosen by the client", ErrorReasons.MalformedRequestId);
        }
        var operation = request.Descriptor.FullName;
        var hash = RequestFingerprint.Of(request);

        return await database.InTransactionAsync(async session =>
        {
            var inserted = await session.ExecuteAsync(
                "INSERT INTO idempotency_keys (request_id, operation, request_hash) VALUES (@requestId, @operation, @hash) " +
                "ON CONFLICT (request_id) DO NOTHING",
                new { requestId, operation, hash });
            if (inserted == 0)
            {
                return await ReplayAsync<TResponse>(session, requestId, operation, hash);
            }
            // Its key may have been pruned: running it could apply it a second time. The insert rolls back.
            ThrowIfPastReplayWindow(requestId);
            var response = await work(session);
            await session.ExecuteAsync(
                "UPDATE idempotency_keys SET response = @response WHERE request_id = @requestId",
                new { response = response.ToByteArray(), requestId });
            return response;
        }, cancellationToken);
    }

    /// <summary>
    /// As above for a change whose answer the handler makes from the request alone: nothing worth keeping is stored, and
    /// a replay only checks that the request is the same.
    /// </summary>
    public Task ExecuteAsync(string requestId, IMessage request, Func<DbSession, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsync(requestId, request, async session =>
        {
            await work(session);
            return new Google.Protobuf.WellKnownTypes.Empty();
        }, cancellationToken);

    /// <summary>
    /// Refuses (INVALID_ARGUMENT, REQUEST_ID_REUSED) a UUIDv7 request id older than the key window: a service that keeps its
    /// own insert-first key (notifications' received events) calls it when its key row was new, inside the transaction
    /// that would apply the request, so the refusal rolls the key back and nothing is applied a second time.
    /// </summary>
    public void ThrowIfPastReplayWindow(string requestId)
    {
        if (Guid.TryParse(requestId, out var id) && IsPastReplayWindow(id))
        {
            throw new ValidationException(
                [new FieldViolation("request_id", $"is older than the {retention.Value.IdempotencyKeyWindow.TotalDays:0.##}-day replay window, " +
                    "so its first answer is no longer kept; this request is not applied. Check whether the first attempt applied before sending it with a new UUID")],
                ErrorReasons.RequestIdReused);
        }
    }

    /// <summary>True for a UUIDv7 whose embedded creation time (its first 48 bits, Unix ms) is older than the key window.</summary>
    public bool IsPastReplayWindow(Guid requestId)
    {
        if (requestId.Version != 7)
        {
            return false;
        }
        var text = requestId.ToString("N");
        var createdMs = long.Parse(text.AsSpan(0, 12), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var cutoff = time.GetUtcNow() - retention.Value.IdempotencyKeyWindow;
        return createdMs < Instants.ToUnixMs(cutoff);
    }

    private static async Task<TResponse> ReplayAsync<TResponse>(DbSession session, string requestId, string operation, string hash)
        where TResponse : IMessage<TResponse>, new()
    {
        var stored = await session.QuerySingleAsync<StoredKey>(
            "SELECT operation AS Operation, request_hash AS RequestHash, response AS Response FROM idempotency_keys WHERE request_id = @requestId",
            new { requestId });
        if (stored.Operation != operation || stored.RequestHash != hash)
        {
            throw new ValidationException(
                [new FieldViolation("request_id", "was already used for a different request; choose a new UUID for a new request")],
                ErrorReasons.RequestIdReused);
        }
        var response = new TResponse();
        response.MergeFrom(stored.Response ?? []);
        return response;
    }

    private sealed record StoredKey(string Operation, string RequestHash, byte[]? Response);
}
