namespace Bimtek.Production.Domain;

/// <summary>An output report's states as stored (<c>output_reports.status</c>).</summary>
internal static class ReportStatus
{
    public const string Pending = "pending";
    public const string Recorded = "recorded";
    public const string Rejected = "rejected";
}

/// <summary>What materials answered to a report's ConsumeForOutput.</summary>
internal enum ConsumptionOutcome
{
    /// <summary>Consumed (now or by an earlier call for the same report).</summary>
    Applied,

    /// <summary>Refused (shortage, unknown product, bad input): nothing was consumed, and never will be for this report.</summary>
    Refused,

    /// <summary>No answer (down, timed out, cancelled): it may or may not have been applied.</summary>
    Unknown,
}

/// <summary>
/// The state machine of an output report (the README's "report states"):
/// <code>
///   (new) ──stored──▶ pending ──consumption applied──▶ recorded   (+ the coordinator's outbox row, same commit)
///                        │    ──consumption refused──▶ rejected
///                        └─── outcome unknown ──▶ pending (lease released, retried after a back-off)
///   (new rework) ──stored with its outbox row──▶ recorded
/// </code>
/// recorded and rejected are final. A pending report is finished by whoever holds its lease: the
/// request that stored it, a replay of it, or the reconciler once the lease has run out. Because
/// consumption is idempotent on the report id, finishing again after a crash applies it once.
/// </summary>
internal static class ReportLifecycle
{
    public static bool IsFinal(string status) => status is ReportStatus.Recorded or ReportStatus.Rejected;

    /// <summary>A pending report may be taken over when no attempt holds its lease any more.</summary>
    public static bool MayClaim(string status, long leaseUntil, long now) => status == ReportStatus.Pending && leaseUntil <= now;

    /// <summary>The state a pending report moves to after materials' answer.</summary>
    public static string After(ConsumptionOutcome outcome) => outcome switch
    {
        ConsumptionOutcome.Applied => ReportStatus.Recorded,
        ConsumptionOutcome.Refused => ReportStatus.Rejected,
        _ => ReportStatus.Pending,
    };
}
