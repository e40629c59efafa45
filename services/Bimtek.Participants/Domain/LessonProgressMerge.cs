namespace Bimtek.Participants.Domain;

/// <summary>A trainee's stored progress on one lesson.</summary>
public sealed record ProgressState(int FurthestPositionSeconds, int Percent, bool Completed, long ReportedAtMs, long? CompletedAtMs);

/// <summary>One report from a phone; may be stale (sent late by an offline phone) or repeated.</summary>
public sealed record ProgressReport(int FurthestPositionSeconds, int Percent, long ReportedAtMs);

/// <summary>
/// Merges a report into stored progress so that progress never moves backwards: furthest position,
/// percent and report time are each the maximum ever seen, and completion — reached when the
/// percent first meets the threshold — never reverts. Merging is commutative and idempotent, so
/// the order and number of deliveries do not matter.
/// </summary>
public static class LessonProgressMerge
{
    public const int DefaultCompletionPercent = 90;

    public static ProgressState Merge(ProgressState? stored, ProgressReport report, int completionPercent, long nowMs)
    {
        var position = Math.Max(stored?.FurthestPositionSeconds ?? 0, report.FurthestPositionSeconds);
        var percent = Math.Max(stored?.Percent ?? 0, report.Percent);
        var reportedAt = Math.Max(stored?.ReportedAtMs ?? 0, report.ReportedAtMs);
        var completed = (stored?.Completed ?? false) || percent >= completionPercent;
        var completedAt = stored?.CompletedAtMs ?? (completed ? nowMs : null);
        return new ProgressState(position, percent, completed, reportedAt, completedAt);
    }
}
