using Bimtek.Distribution.Data;

namespace Bimtek.Distribution.Application;

/// <summary>The clock as the use cases write it: an instant as the rows store it (<see cref="Iso"/>).</summary>
internal static class Clock
{
    public static string Now(this TimeProvider time) => Iso.Instant(time.GetUtcNow());
}
