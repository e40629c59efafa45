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
