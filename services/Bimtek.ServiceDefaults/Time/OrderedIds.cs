using System.Globalization;

namespace Bimtek.ServiceDefaults.Time;

/// <summary>
/// UUIDv7 ids (RFC 9562) that sort, as text and as UUIDs, in the order this process made them, also within one
/// millisecond. Stored instants are milliseconds (<see cref="Instants"/>), so rows ordered by an instant and then by their
/// id (materials' FIFO lots, its ledger newest first) need an id that breaks a tie in the order the rows were written:
/// RFC 9562 §6.2 method 1, a 12-bit counter in <c>rand_a</c> that starts again each new millisecond; a clock that stands
/// still or steps back keeps the last millisecond and counts on, and a full counter moves on to the next millisecond.
/// </summary>
public static class OrderedIds
{
    private const int CounterMax = 0xFFF;
    private static readonly Lock _gate = new();
    private static long _lastMs = long.MinValue;
    private static int _counter;

    public static string Next(TimeProvider time)
    {
        long ms;
        int counter;
        lock (_gate)
        {
            ms = time.NowMs();
            if (ms > _lastMs)
            {
                _lastMs = ms;
                _counter = 0;
            }
            else if (_counter < CounterMax)
            {
                _counter++;
            }
            else
            {
                _lastMs++;
                _counter = 0;
            }
            (ms, counter) = (_lastMs, _counter);
        }
        Span<byte> random = stackalloc byte[8];
        Random.Shared.NextBytes(random);
        // 48-bit milliseconds, version 7 and the counter, the variant (10) and 62 random bits.
        var variantAndRandom = (BitConverter.ToUInt64(random) & 0x3FFF_FFFF_FFFF_FFFFUL) | 0x8000_0000_0000_0000UL;
        return string.Create(CultureInfo.InvariantCulture,
            $"{(ms >> 16) & 0xFFFF_FFFF:x8}-{ms & 0xFFFF:x4}-{0x7000 | counter:x4}-{variantAndRandom >> 48:x4}-{variantAndRandom & 0xFFFF_FFFF_FFFFUL:x12}");
    }
}
