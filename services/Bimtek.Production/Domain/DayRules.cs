using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Production.Domain;

/// <summary>Programme days: calendar days in the programme's IANA time zone.</summary>
internal static class DayRules
{
    public const string Format = CalendarDays.TextFormat;

    public static string ToText(DateOnly day) => CalendarDays.ToText(day);

    public static DateOnly Parse(string text) => CalendarDays.Parse(text);

    public static Google.Type.Date ToDate(DateOnly day) => CalendarDays.ToDate(day);

    public static Google.Type.Date ToDate(string text) => CalendarDays.ToDate(text);

    /// <summary>Today in the zone; UTC when the zone is unknown to this machine.</summary>
    public static DateOnly Today(DateTimeOffset now, string timeZone)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
        }
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
    }
}
