using Google.Protobuf;

namespace Bimtek.Data.Outbox;

/// <summary>
/// A destination whose payload is the target RPC's request. The relay's convention lives here,
/// once: the payload's <c>request_id</c> becomes the outbox message id, so the target deduplicates
/// however often the message arrives. Subclasses only name the destination and make the call.
/// </summary>
public abstract class OutboxDestination<TRequest> : IOutboxDestination
    where TRequest : IMessage<TRequest>, new()
{
    private static readonly MessageParser<TRequest> _parser = new(() => new TRequest());

    public abstract string Name { get; }

    public Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var request = message.Parse(_parser);
        var requestId = request.Descriptor.FindFieldByName("request_id")
            ?? throw new InvalidOperationException($"{request.Descriptor.FullName} has no request_id to carry the outbox message id.");
        requestId.Accessor.SetValue(request, message.Id);
        return SendAsync(request, cancellationToken);
    }

    /// <summary>Calls the target; returns when it acknowledged, throws to have the relay retry.</summary>
    protected abstract Task SendAsync(TRequest request, CancellationToken cancellationToken);
}
