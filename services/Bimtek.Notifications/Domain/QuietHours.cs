namespace Bimtek.Notifications.Domain;

/// <summary>
/// Nothing is sent between <see cref="Start"/> and <see cref="End"/> local time in the programme's time zone
/// (21:00–07:00 by default): a message due then waits until <see cref="End"/> the next morning.
/// Start after End means the quiet time spans midnight; Start equal to End means no quiet hours.
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    public static readonly QuietHours Default = new(new TimeOnly(21, 0), new TimeOnly(7, 0));

    public bool IsQuiet(TimeOnly local) =>
        Start != End && (Start < End ? local >= Start && local < End : local >= Start || local < End);

    /// <summary>The first moment at or after <paramref name="utc"/> that is outside quiet hours.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (!IsQuiet(time))
        {
            return utc;
        }
        // The quiet time ends today if we are before End, otherwise tomorrow.
        var day = DateOnly.FromDateTime(local.DateTime);
        if (time >= End)
        {
            day = day.AddDays(1);
        }
        var endLocal = day.ToDateTime(End, DateTimeKind.Unspecified);
        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }
}
