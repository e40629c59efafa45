namespace Bimtek.Participants.Application;

/// <summary>The clock as the use cases read it beyond <c>Instants.NowMs</c>: the year, a zone's today.</summary>
internal static class Clock
{
    /// <summary>The current year (UTC): what a person's minority and a birth year's range are judged by.</summary>
    public static int CurrentYear(this TimeProvider time) => time.GetUtcNow().Year;

    /// <summary>Today in the programme's time zone (an IANA id, checked when the programme was created).</summary>
    public static DateOnly TodayIn(this TimeProvider time, string timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);
}
