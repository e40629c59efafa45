using Bimtek.ServiceDefaults.Time;
using Google.Protobuf.WellKnownTypes;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>The one conversion of instants (code, wire, databases), of calendar days, and ids that keep write order.</summary>
public sealed class InstantsTests
{
    private static readonly DateTimeOffset _instant = new(2026, 12, 7, 0, 8, 47, 123, TimeSpan.Zero);

    [Fact]
    public void An_instant_is_stored_as_unix_milliseconds_and_comes_back_equal_from_the_database_and_the_wire()
    {
        Assert.Equal(1796602127123L, Instants.ToUnixMs(_instant));
        Assert.Equal(_instant, Instants.FromUnixMs(1796602127123L));

        var wire = Instants.ToTimestamp(1796602127123L);
        Assert.Equal(new Timestamp { Seconds = 1796602127, Nanos = 123_000_000 }, wire);
        Assert.Equal(1796602127123L, Instants.ToUnixMs(wire));
        Assert.Equal(wire, Instants.ToTimestamp(_instant));
        // Another offset is the same instant: the wire and the database carry UTC.
        Assert.Equal(1796602127123L, Instants.ToUnixMs(_instant.ToOffset(TimeSpan.FromHours(8))));
        Assert.Equal(wire, Instants.ToTimestamp(_instant.ToOffset(TimeSpan.FromHours(8))));
    }

    [Fact]
    public void Parts_finer_than_a_millisecond_are_dropped_towards_the_past_also_before_1970()
    {
        var finer = _instant.AddTicks(9_999);
        Assert.Equal(1796602127123L, Instants.ToUnixMs(finer));
        Assert.Equal(1796602127123L, Instants.ToUnixMs(new Timestamp { Seconds = 1796602127, Nanos = 123_999_999 }));

        var before1970 = DateTimeOffset.UnixEpoch.AddTicks(-5_000); // 0.5 ms before the epoch
        Assert.Equal(-1L, Instants.ToUnixMs(before1970));
        Assert.Equal(new Timestamp { Seconds = -1, Nanos = 999_000_000 }, Instants.ToTimestamp(-1L));
    }

    [Fact]
    public void An_absent_instant_stays_absent_and_the_clock_reads_as_stored()
    {
        Assert.Null(Instants.ToTimestamp((long?)null));
        Assert.Equal(Instants.ToTimestamp(42L), Instants.ToTimestamp((long?)42L));
        Assert.Equal(1796602127123L, new FixedClock(_instant.AddTicks(5_000)).NowMs());
        // Orleans state keeps DateTime whose kind may be lost; it is UTC.
        Assert.Equal(Instants.ToTimestamp(_instant), Instants.ToTimestampFromUtc(DateTime.SpecifyKind(_instant.UtcDateTime, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void Calendar_days_parse_only_as_yyyy_mm_dd_and_a_checked_proto_date_is_the_stored_text()
    {
        Assert.True(CalendarDays.TryParse("2020-05-18", out var day));
        Assert.Equal(new DateOnly(2020, 5, 18), day);
        Assert.False(CalendarDays.TryParse("18/05/2020", out _));
        Assert.False(CalendarDays.TryParse("2020-02-30", out _));
        Assert.Equal("2020-05-18", CalendarDays.ToText(new Google.Type.Date { Year = 2020, Month = 5, Day = 18 }));
    }

    [Fact]
    public void Today_in_a_zone_is_the_zones_calendar_day_across_midnight()
    {
        // Asia/Jakarta is UTC+7: 17:00 UTC is its midnight.
        Assert.Equal(new DateOnly(2026, 12, 7), CalendarDays.Today(new DateTimeOffset(2026, 12, 6, 17, 30, 0, TimeSpan.Zero), "Asia/Jakarta"));
        Assert.Equal(new DateOnly(2026, 12, 6), CalendarDays.Today(new DateTimeOffset(2026, 12, 6, 16, 59, 59, TimeSpan.Zero), "Asia/Jakarta"));
        // The instant decides, not the offset it is written in.
        Assert.Equal(new DateOnly(2026, 12, 7), CalendarDays.Today(new DateTimeOffset(2026, 12, 6, 12, 30, 0, TimeSpan.FromHours(-5)), "Asia/Jakarta"));
        Assert.Equal(new DateOnly(2026, 12, 7), new FixedClock(new DateTimeOffset(2026, 12, 6, 17, 30, 0, TimeSpan.Zero)).TodayIn("Asia/Jakarta"));
    }

    [Fact]
    public void Today_in_a_zone_this_machine_does_not_know_is_the_utc_day()
    {
        var lateUtc = new DateTimeOffset(2026, 12, 6, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 12, 6), CalendarDays.Today(lateUtc, "Mars/Olympus_Mons"));
        Assert.Equal(new DateOnly(2026, 12, 6), CalendarDays.Today(lateUtc.ToOffset(TimeSpan.FromHours(8)), "Mars/Olympus_Mons"));
        Assert.Equal(new DateOnly(2026, 12, 6), CalendarDays.Today(lateUtc, ""));
        Assert.Equal(new DateOnly(2026, 12, 6), new FixedClock(lateUtc).TodayIn("Mars/Olympus_Mons"));
    }

    [Fact]
    public void Ordered_ids_sort_in_the_order_they_were_made_within_one_millisecond_and_when_the_clock_steps_back()
    {
        var clock = new FixedClock(_instant);
        var ids = new List<string>();
        for (var i = 0; i < 5000; i++) // past the 4096 a millisecond's counter holds
        {
            ids.Add(OrderedIds.Next(clock));
        }
        ids.Add(OrderedIds.Next(new FixedClock(_instant.AddSeconds(-1))));
        ids.Add(OrderedIds.Next(new FixedClock(_instant.AddSeconds(1))));

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, Guid.Parse(id).Version));
        Assert.All(ids, id => Assert.Equal(0x8, Guid.Parse(id).Variant & 0xC));
        // The first 48 bits are the millisecond (RFC 9562): never before the clock's, so rows sort by instant and id alike.
        Assert.True(Convert.ToInt64(ids[0].Replace("-", "", StringComparison.Ordinal)[..12], 16) >= Instants.ToUnixMs(_instant));
        Assert.Equal(ids, ids.Order(Comparer<string>.Create((a, b) => Guid.Parse(a).CompareTo(Guid.Parse(b)))));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
