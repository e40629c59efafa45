namespace Bimtek.Coordinator.Hosting;

/// <summary>
/// The live progress stream (<c>WatchProgrammeProgress</c>), section <c>Coordinator:Watch</c>. The heartbeat keeps an
/// idle stream from looking dead to proxies: keep it well under the shortest idle (activity) timeout between a
/// client and the coordinator — the gateway's coordinator clusters wait 30 s (REST) and 5 min (gRPC).
/// </summary>
public sealed class WatchOptions
{
    public const string Section = "Coordinator:Watch";

    /// <summary>How long a stream may go without a message before the server sends a heartbeat (15 s; 1 s to 10 min).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
