namespace Bimtek.Notifications.Domain;

/// <summary>
/// PPE sets waiting for sign-off are told to each health expert at most once per clock hour (UTC): every set that
/// arrives within the hour joins the hour's one message, which is sent when the hour ends.
/// </summary>
public static class BatchWindow
{
    public static DateTimeOffset Start(DateTimeOffset utc) =>
        new(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset End(DateTimeOffset utc) => Start(utc).AddHours(1);

    /// <summary>The window's name inside a de-duplication key, e.g. <c>2020060109</c>.</summary>
    public static string Key(DateTimeOffset utc) => Start(utc).ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);
}
