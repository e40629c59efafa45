using Google.Protobuf.WellKnownTypes;

namespace Bimtek.ServiceDefaults.Time;

/// <summary>
/// Instants in the one shape the suite uses: <see cref="DateTimeOffset"/> in code, <c>google.protobuf.Timestamp</c> on
/// the wire, BIGINT Unix milliseconds (UTC) in every database column named <c>*_at</c>. Milliseconds because they sort
/// and compare as plain integers on both engines and are what a JavaScript client and the audit read; finer parts of
/// an instant are dropped (towards the past) when it is stored, so an instant read back never lies in the future of
/// the one written.
/// </summary>
public static class Instants
{
    /// <summary>The clock's now as stored.</summary>
    public static long NowMs(this TimeProvider time) => ToUnixMs(time.GetUtcNow());

    public static long ToUnixMs(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    /// <summary>A wire instant as stored; a nanosecond part below a millisecond is dropped.</summary>
    public static long ToUnixMs(Timestamp timestamp) => ToUnixMs(timestamp.ToDateTimeOffset());

    public static Timestamp ToTimestamp(long unixMs) => Timestamp.FromDateTimeOffset(FromUnixMs(unixMs));

    public static Timestamp? ToTimestamp(long? unixMs) => unixMs is { } ms ? ToTimestamp(ms) : null;

    /// <summary>Any offset: the wire carries UTC.</summary>
    public static Timestamp ToTimestamp(DateTimeOffset instant) => Timestamp.FromDateTimeOffset(instant);

    /// <summary>A <see cref="DateTime"/> that Orleans state or a reminder keeps in UTC but whose kind was lost on the way.</summary>
    public static Timestamp ToTimestampFromUtc(DateTime utc) => Timestamp.FromDateTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
