using Google.Protobuf;

namespace Bimtek.Data.Outbox;

/// <summary>
/// An effect on another service, committed with the change that caused it. <see cref="Id"/> is
/// sent as the target's <c>request_id</c>, so the target applies it once however often it arrives.
/// </summary>
public sealed record OutboxMessage(string Id, string Destination, string MessageType, byte[] Payload, int Attempts)
{
    public T Parse<T>(MessageParser<T> parser) where T : IMessage<T> => parser.ParseFrom(Payload);
}

/// <summary>Delivers the outbox messages of one destination, e.g. "coordinator.enrolment".</summary>
public interface IOutboxDestination
{
    string Name { get; }

    /// <summary>Returns when the target acknowledged; throws to have the relay retry later.</summary>
    Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>Options of the relay (<c>Outbox:*</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How often to look for due messages when nothing woke the relay.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A claimed message is retried after this long if its delivery never finished (crash).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After this many failed attempts a message is parked: visible in metrics and health, no longer retried.</summary>
    public int MaxAttempts { get; set; } = 25;

    public int BatchSize { get; set; } = 64;

    public int MaxParallelDeliveries { get; set; } = 8;
}
