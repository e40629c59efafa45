namespace Bimtek.Scenarios;

/// <summary>How long to wait for effects that travel through outboxes (coordinator, distribution).</summary>
public sealed record ScenarioOptions(TimeSpan WaitTimeout)
{
    public static ScenarioOptions Default { get; } = new(TimeSpan.FromSeconds(90));
}
