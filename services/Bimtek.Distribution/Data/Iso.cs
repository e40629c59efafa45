using System.Globalization;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf.WellKnownTypes;

namespace Bimtek.Distribution.Data;

/// <summary>How instants and calendar days are stored: sortable ISO-8601 text, the same on both engines.</summary>
internal static class Iso
{
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static Timestamp ToTimestamp(string value) =>
        Timestamp.FromDateTime(DateTime.ParseExact(value, InstantFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    public static Timestamp? ToTimestampOrNull(string? value) => string.IsNullOrEmpty(value) ? null : ToTimestamp(value);

    public static string Day(DateOnly value) => CalendarDays.ToText(value);

    public static DateOnly ParseDay(string value) => CalendarDays.Parse(value);

    public static Google.Type.Date ToDate(string value) => CalendarDays.ToDate(value);

    public static DateOnly ToDateOnly(Google.Type.Date value) => CalendarDays.ToDateOnly(value);
}
