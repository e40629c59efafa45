namespace Bimtek.Scenarios;

/// <summary>How long to wait for effects that travel through outboxes (coordinator, distribution).</summary>
public sealed record ScenarioOptions(TimeSpan WaitTimeout)
{
    /// <summary>
    /// Trainees report their output with their own tokens: each gets a login (subject), the operator issues them a
    /// one-time code and they sign in with it at the identity service (see <see cref="Rest.TraineeSignIn"/>),
    /// instead of the operator's key doing it for them.
    /// </summary>
    public bool TraineesSignIn { get; init; }

    public static ScenarioOptions Default { get; } = new(TimeSpan.FromSeconds(90));
}
