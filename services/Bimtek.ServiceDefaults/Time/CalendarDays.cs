using System.Globalization;

namespace Bimtek.ServiceDefaults.Time;

/// <summary>
/// Calendar days in the one shape the suite uses: <see cref="DateOnly"/> in code,
/// <c>google.type.Date</c> on the wire, <c>yyyy-MM-dd</c> text in the databases.
/// </summary>
public static class CalendarDays
{
    public const string TextFormat = "yyyy-MM-dd";

    public static string ToText(DateOnly day) => day.ToString(TextFormat, CultureInfo.InvariantCulture);

    /// <summary>A proto date already checked by <see cref="TryToDateOnly"/>, as the databases store it.</summary>
    public static string ToText(Google.Type.Date date) => ToText(ToDateOnly(date));

    public static DateOnly Parse(string text) => DateOnly.ParseExact(text, TextFormat, CultureInfo.InvariantCulture);

    /// <summary>False for text that is not a <c>yyyy-MM-dd</c> day (an event's day from another service).</summary>
    public static bool TryParse(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, TextFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    /// <summary>
    /// The calendar day it is at <paramref name="now"/> in the IANA zone <paramref name="timeZone"/> (a programme's);
    /// UTC's day when this machine does not know the zone, so a reader never fails on a zone it lacks.
    /// </summary>
    public static DateOnly Today(DateTimeOffset now, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
    }

    /// <summary>The clock's today in the IANA zone <paramref name="timeZone"/>, as <see cref="Today"/>.</summary>
    public static DateOnly TodayIn(this TimeProvider time, string timeZone) => Today(time.GetUtcNow(), timeZone);

    public static Google.Type.Date ToDate(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    public static Google.Type.Date ToDate(string text) => ToDate(Parse(text));

    /// <summary>A proto date already checked by <see cref="TryToDateOnly"/> (request validation).</summary>
    public static DateOnly ToDateOnly(Google.Type.Date date) => new(date.Year, date.Month, date.Day);

    /// <summary>False for a day the calendar does not have (month 13, 30 February, year 0).</summary>
    public static bool TryToDateOnly(Google.Type.Date date, out DateOnly day)
    {
        day = default;
        if (date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1
            || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
        {
            return false;
        }
        day = new DateOnly(date.Year, date.Month, date.Day);
        return true;
    }
}
