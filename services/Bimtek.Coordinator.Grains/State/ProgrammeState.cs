using Bimtek.Coordinator.Abstractions;

namespace Bimtek.Coordinator.Grains.State;

/// <summary>Persisted state of a programme grain (state name <c>programme</c>).</summary>
[GenerateSerializer, Alias("bimtek.coordinator.ProgrammeState")]
public sealed class ProgrammeState
{
    [Id(0)]
    public ProgrammeInfo? Info { get; set; }

    /// <summary>Enrolments by enrolment id (a trainee who re-enrols has several).</summary>
    [Id(1)]
    public Dictionary<string, EnrolmentRecord> Enrolments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Operator overrides by trainee id.</summary>
    [Id(2)]
    public Dictionary<string, OverrideRecord> Overrides { get; set; } = new(StringComparer.Ordinal);

    [Id(3)]
    public AppliedRequests Applied { get; set; } = new();

    /// <summary>Pace-check bookkeeping by trainee id.</summary>
    [Id(4)]
    public Dictionary<string, PaceRecord> Pace { get; set; } = new(StringComparer.Ordinal);

    [Id(5)]
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Facts for integrators (quota changed, programme completed) not yet acknowledged by notifications, oldest first:
    /// written in the same state write as the change that made them, removed once delivered.
    /// </summary>
    [Id(6)]
    public List<Domain.IntegratorEvent> PendingEvents { get; set; } = [];
}

[GenerateSerializer, Alias("bimtek.coordinator.EnrolmentRecord")]
public sealed record EnrolmentRecord(
    [property: Id(0)] string TraineeId,
    [property: Id(1)] int Sequence,
    [property: Id(2)] bool Withdrawn,
    [property: Id(3)] DateTime ChangedAt);

[GenerateSerializer, Alias("bimtek.coordinator.OverrideRecord")]
public sealed record OverrideRecord([property: Id(0)] int Quota, [property: Id(1)] string Reason, [property: Id(2)] DateTime SetAt);

/// <summary>
/// The current behind-schedule spell of a trainee (null when on track) and the spell for which an
/// assistance request was already asked for.
/// </summary>
[GenerateSerializer, Alias("bimtek.coordinator.PaceRecord")]
public sealed record PaceRecord([property: Id(0)] DateOnly? BehindSince, [property: Id(1)] DateOnly? RequestedForSpell);
