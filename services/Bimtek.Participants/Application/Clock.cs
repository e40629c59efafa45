namespace Bimtek.Participants.Application;

/// <summary>
/// The clock as the use cases read it beyond <c>Instants.NowMs</c> and <c>CalendarDays.TodayIn</c> (a programme zone's
/// today): the year.
/// </summary>
internal static class Clock
{
    /// <summary>The current year (UTC): what a person's minority and a birth year's range are judged by.</summary>
    public static int CurrentYear(this TimeProvider time) => time.GetUtcNow().Year;
}
