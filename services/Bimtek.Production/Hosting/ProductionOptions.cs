namespace Bimtek.Production.Hosting;

/// <summary>Options of the report workflow and its reconciler (<c>Production:*</c>).</summary>
internal sealed class ProductionOptions
{
    public const string Section = "Production";

    /// <summary>How often the reconciler looks for PENDING reports to finish.</summary>
    public TimeSpan ReconcilerPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one attempt to finish a report owns it. Longer than the materials call's deadline,
    /// so a second attempt never starts while the first one's consumption may still land.
    /// </summary>
    public TimeSpan ReportLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before a report whose consumption failed (materials down) is tried again; doubles per attempt.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between attempts to finish a report.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a duplicate request waits for the attempt already finishing its report.</summary>
    public TimeSpan DuplicateWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest number of units one report may carry.</summary>
    public int MaxUnitsPerReport { get; set; } = 10_000;

    /// <summary>Tell trainees of rejected and sent-back units, and health experts of units waiting for sign-off, through notifications (outbox).</summary>
    public bool SendNotifications { get; set; }
}
