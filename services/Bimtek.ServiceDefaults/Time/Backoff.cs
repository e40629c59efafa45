namespace Bimtek.ServiceDefaults.Time;

/// <summary>The suite's one retry delay: exponential from a first delay, capped, optionally jittered.</summary>
public static class Backoff
{
    /// <summary>
    /// <paramref name="first"/> × 2^(attempt − 1) (attempt 1 waits <paramref name="first"/>; the
    /// exponent stops at 20), capped at <paramref name="max"/>, then multiplied by a random factor
    /// between <paramref name="jitterFrom"/> and <paramref name="jitterTo"/> (1 and 1: no jitter).
    /// Jitter keeps many retrying callers from retrying in step.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max, double jitterFrom = 1, double jitterTo = 1)
    {
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        var factor = jitterFrom + (Random.Shared.NextDouble() * (jitterTo - jitterFrom));
        return TimeSpan.FromMilliseconds(capped * factor);
    }
}
