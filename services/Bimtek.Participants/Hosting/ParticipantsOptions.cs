namespace Bimtek.Participants.Hosting;

/// <summary>Settings of the participants service (<c>Participants:*</c>).</summary>
public sealed class ParticipantsOptions
{
    public const string Section = "Participants";

    /// <summary>Percent of a video at which a lesson counts as completed (1–100).</summary>
    public int LessonCompletionPercent { get; set; } = Domain.LessonProgressMerge.DefaultCompletionPercent;

    /// <summary>
    /// Send people's account changes to the identity service (registered, enrolled, withdrawn, assigned, unassigned)
    /// through the outbox, and give a person registered without a login subject their person id as subject.
    /// </summary>
    public bool SendAccountChanges { get; set; }

    /// <summary>Tell people of booked home visits and of being behind schedule through the notifications service (outbox).</summary>
    public bool SendNotifications { get; set; }
}
