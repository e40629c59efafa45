namespace Bimtek.Production.Domain;

/// <summary>Programme days: calendar days in the programme's IANA time zone.</summary>
internal static class DayRules
{
    public const string Format = "yyyy-MM-dd";

    public static string ToText(DateOnly day) => day.ToString(Format, System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Parse(string text) => DateOnly.ParseExact(text, Format, System.Globalization.CultureInfo.InvariantCulture);

    public static Google.Type.Date ToDate(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    public static Google.Type.Date ToDate(string text) => ToDate(Parse(text));

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
