using Google.Protobuf.WellKnownTypes;

namespace Bimtek.Materials.Data;

/// <summary>Stored instants are BIGINT microseconds since the Unix epoch (UTC): portable and sortable.</summary>
internal static class Time
{
    public static long Now(TimeProvider clock) => ToMicros(clock.GetUtcNow());

    public static long ToMicros(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static Timestamp ToTimestamp(long micros) => new()
    {
        Seconds = Math.DivRem(micros, 1_000_000, out var rest),
        Nanos = (int)rest * 1000,
    };
}
