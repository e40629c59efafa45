using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Bimtek.Distribution.Infrastructure;

/// <summary>How instants and calendar days are stored: sortable ISO-8601 text, the same on both engines.</summary>
internal static class Iso
{
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string DayFormat = "yyyy-MM-dd";

    public static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static Timestamp ToTimestamp(string value) =>
        Timestamp.FromDateTime(DateTime.ParseExact(value, InstantFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    public static Timestamp? ToTimestampOrNull(string? value) => string.IsNullOrEmpty(value) ? null : ToTimestamp(value);

    public static string Day(DateOnly value) => value.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string value) => DateOnly.ParseExact(value, DayFormat, CultureInfo.InvariantCulture);

    public static Google.Type.Date ToDate(string value)
    {
        var day = ParseDay(value);
        return new Google.Type.Date { Year = day.Year, Month = day.Month, Day = day.Day };
    }

    public static DateOnly ToDateOnly(Google.Type.Date value) => new(value.Year, value.Month, value.Day);
}
