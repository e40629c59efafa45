namespace Bimtek.Coordinator.Grains.State;

/// <summary>What the applied-request set says about an incoming request id.</summary>
public enum RequestSeen
{
    New,
    Duplicate,
    Reused,
}

/// <summary>
/// The ids of requests already applied, with a fingerprint of each request, kept inside the
/// grain's state so that checking and recording happen in the same state write. Bounded: the
/// oldest ids are dropped past <see cref="Capacity"/> (far more than a trainee or programme sees
/// while an outbox still retries).
/// </summary>
[GenerateSerializer, Alias("bimtek.coordinator.AppliedRequests")]
public sealed class AppliedRequests
{
    public const int Capacity = 20_000;

    [Id(0)]
    public Dictionary<string, string> Fingerprints { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public List<string> Order { get; set; } = [];

    public RequestSeen Check(string requestId, string fingerprint) =>
        !Fingerprints.TryGetValue(requestId, out var seen) ? RequestSeen.New
        : string.Equals(seen, fingerprint, StringComparison.Ordinal) ? RequestSeen.Duplicate
        : RequestSeen.Reused;

    public void Record(string requestId, string fingerprint)
    {
        if (!Fingerprints.TryAdd(requestId, fingerprint))
        {
            return;
        }
        Order.Add(requestId);
        if (Order.Count > Capacity)
        {
            var drop = Order.Count - Capacity;
            foreach (var old in Order.Take(drop))
            {
                Fingerprints.Remove(old);
            }
            Order.RemoveRange(0, drop);
        }
    }
}
