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
}
