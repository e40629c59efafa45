namespace Bimtek.Data.Retention;

/// <summary>
/// How long a service keeps what it only needs for a while (<c>Retention:*</c>). The defaults are
/// far longer than any retry: a client retries a request_id within seconds to minutes (the gateway's
/// and the outbox relay's back-off end within ~1 hour, when a row is parked), and a field device that
/// was offline for days in a village without signal still sends its queued requests well inside 30
/// days. Past the window a replay is refused, never applied again (see <see cref="IdempotencyKeyWindow"/>).
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// A request_id's key and stored answer are kept this long (default 30 days). A retry inside
    /// the window gets the first answer. After it, a UUIDv7 request_id (every outbox message uses
    /// v7, whose first 48 bits are its creation time) is refused with
    /// REQUEST_ID_REUSED and never applied; other ids are guarded by the use case's own natural key
    /// (an output report's request_id, a consumption's report id) — see the README's retention section.
    /// </summary>
    public TimeSpan IdempotencyKeyWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Delivered outbox rows are kept this long for diagnosis (default 7 days). Pending and parked
    /// rows are never pruned: they still have work to do or need an operator.
    /// </summary>
    public TimeSpan DeliveredOutboxWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Finished records a service keeps only to look back at (default 90 days): notifications' sent, failed and
    /// suppressed messages with their delivery attempts and its finished webhook deliveries, identity's tokens that are
    /// no longer valid. At least <see cref="IdempotencyKeyWindow"/>: notifications' de-duplication keys live in these
    /// records, and must outlive the received-event keys that refuse a late replay.
    /// </summary>
    public TimeSpan RecordWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Identity's OpenID Connect tokens and authorizations that are no longer valid (expired, redeemed, revoked) are
    /// deleted once they are this old (default 14 days, OpenIddict's own default): every sign-in and refresh stores
    /// tokens, so this table grows fastest. Valid tokens are never pruned; a token whose row is gone is refused.
    /// </summary>
    public TimeSpan TokenWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Time between two pruning runs (default 1 hour; the first runs once the database is ready).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per transaction: small, so writers never wait long for the pruner's locks.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Pause between two batches of one run, to leave the database to the write path.</summary>
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(50);
}
