using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.State;

namespace Bimtek.Coordinator.Grains.Domain;

/// <summary>Options of the pace check (<c>Coordinator:Pace</c>).</summary>
public sealed class PaceOptions
{
    public const string Section = "Coordinator:Pace";

    /// <summary>
    /// A trainee is behind when expected units minus done units exceed this share of their quota
    /// (percent, rounded down in units).
    /// </summary>
    public int MarginPercent { get; set; } = 10;
}

/// <summary>Integer pace maths in programme days (the programme's time zone).</summary>
public static class Pace
{
    /// <summary>Programme days elapsed by the end of <paramref name="day"/>, 0..total.</summary>
    public static int ElapsedDays(ProgrammeInfo programme, DateOnly day) =>
        Math.Clamp(day.DayNumber - programme.StartDay.DayNumber + 1, 0, programme.TotalDays);

    /// <summary>Units expected by the end of <paramref name="day"/>: ceil(quota × elapsed / total).</summary>
    public static int Expected(int quota, ProgrammeInfo programme, DateOnly day)
    {
        var total = programme.TotalDays;
        if (total <= 0 || quota <= 0)
        {
            return 0;
        }
        var elapsed = ElapsedDays(programme, day);
        return (int)(((long)quota * elapsed + total - 1) / total);
    }

    public static int Margin(int quota, PaceOptions options) => quota * Math.Max(0, options.MarginPercent) / 100;

    public static bool IsBehind(int quota, int expected, int done, PaceOptions options) => expected - done > Margin(quota, options);

    /// <summary>
    /// A trainee's behind-schedule spell after a check on <paramref name="day"/>: it starts on the first
    /// day found behind and keeps that day while behind; back on track ends it.
    /// </summary>
    public static PaceRecord NextSpell(PaceRecord record, bool behind, DateOnly day) =>
        behind ? record with { BehindSince = record.BehindSince ?? day } : record with { BehindSince = null };

    /// <summary>Whether a spell still needs its one assistance request.</summary>
    public static bool NeedsAssistanceRequest(PaceRecord record) =>
        record.BehindSince is not null && record.RequestedForSpell != record.BehindSince;

    public static int PercentOf(int part, int whole) => whole <= 0 ? 0 : (int)((long)part * 100 / whole);

    /// <summary>Today in the programme's time zone (UTC when the zone is unknown to this machine).</summary>
    public static DateOnly Today(ProgrammeInfo programme, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return TimeZoneInfo.TryFindSystemTimeZoneById(programme.TimeZone, out var zone)
            ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime)
            : DateOnly.FromDateTime(now.UtcDateTime);
    }

    /// <summary>How long until 00:05 of the next day in the programme's time zone.</summary>
    public static TimeSpan UntilNextDayStart(ProgrammeInfo programme, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(programme.TimeZone, out var zone))
        {
            zone = TimeZoneInfo.Utc;
        }
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var next = local.Date.AddDays(1).AddMinutes(5);
        var nextUtc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(next, DateTimeKind.Unspecified), zone);
        var due = nextUtc - now.UtcDateTime;
        return due < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : due;
    }
}
