namespace Bimtek.Notifications.Hosting;

/// <summary>
/// The system clock shifted by <c>Notifications:ClockOffset</c>: what the suite's end-to-end tests use to put this process
/// (only this one) in quiet hours or in the morning, with time still running. The same offset across restarts keeps the
/// clock going forward. Zero (no offset, the system clock) in every deployment.
/// </summary>
internal sealed class OffsetTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + offset;

    public override TimeZoneInfo LocalTimeZone => TimeProvider.System.LocalTimeZone;
}
