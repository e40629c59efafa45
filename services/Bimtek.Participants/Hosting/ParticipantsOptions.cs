namespace Bimtek.Participants.Hosting;

/// <summary>Settings of the participants service (<c>Participants:*</c>).</summary>
public sealed class ParticipantsOptions
{
    public const string Section = "Participants";

    /// <summary>Percent of a video at which a lesson counts as completed (1–100).</summary>
    public int LessonCompletionPercent { get; set; } = Domain.LessonProgressMerge.DefaultCompletionPercent;
}
