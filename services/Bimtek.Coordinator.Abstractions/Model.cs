namespace Bimtek.Coordinator.Abstractions;

/// <summary>The coordinator's view of a programme's lifecycle.</summary>
[GenerateSerializer, Alias("bimtek.coordinator.ProgrammePhase")]
public enum ProgrammePhase
{
    Unspecified = 0,
    Draft = 1,
    Active = 2,
    Completed = 3,
    Cancelled = 4,
}

/// <summary>A programme as participants last described it (the highest revision wins). <c>Code</c> is the office's short code (empty from senders before it was sent).</summary>
[GenerateSerializer, Alias("bimtek.coordinator.ProgrammeInfo")]
public sealed record ProgrammeInfo(
    [property: Id(0)] long Revision,
    [property: Id(1)] string ProductCode,
    [property: Id(2)] int TargetQuantity,
    [property: Id(3)] DateOnly StartDay,
    [property: Id(4)] DateOnly EndDay,
    [property: Id(5)] string TimeZone,
    [property: Id(6)] ProgrammePhase Phase,
    [property: Id(7)] string Code = "")
{
    /// <summary>Programme days, first and last included.</summary>
    public int TotalDays => EndDay.DayNumber - StartDay.DayNumber + 1;
}

/// <summary>How an effect or command ended. Errors cross the grain boundary as values, not exceptions.</summary>
[GenerateSerializer, Alias("bimtek.coordinator.EffectOutcome")]
public enum EffectOutcome
{
    Applied = 0,
    /// <summary>The request id was already applied; nothing changed.</summary>
    Duplicate = 1,
    /// <summary>The programme is not known (yet).</summary>
    ProgrammeNotFound = 2,
    /// <summary>The trainee was never enrolled in the programme.</summary>
    TraineeNotEnrolled = 3,
    /// <summary>The request id was used before for a different request.</summary>
    RequestIdReused = 4,
    /// <summary>A rule refused the change (e.g. an override the others cannot absorb).</summary>
    Refused = 5,
    /// <summary>An older revision than the one held: acknowledged and ignored.</summary>
    Superseded = 6,
}

[GenerateSerializer, Alias("bimtek.coordinator.EffectResult")]
public sealed record EffectResult([property: Id(0)] EffectOutcome Outcome, [property: Id(1)] string? Reason = null, [property: Id(2)] string? Message = null)
{
    public static readonly EffectResult Applied = new(EffectOutcome.Applied);
    public static readonly EffectResult Duplicate = new(EffectOutcome.Duplicate);

    public bool IsSuccess => Outcome is EffectOutcome.Applied or EffectOutcome.Duplicate or EffectOutcome.Superseded;
}

/// <summary>Whether a programme knows a trainee (enrolled now or before).</summary>
[GenerateSerializer, Alias("bimtek.coordinator.TraineeCheck")]
public enum TraineeCheck
{
    ProgrammeNotFound = 0,
    NeverEnrolled = 1,
    Known = 2,
}

/// <summary>A trainee's unit counters. Revision increases with every applied effect.</summary>
[GenerateSerializer, Alias("bimtek.coordinator.TraineeCounters")]
public sealed record TraineeCounters(
    [property: Id(0)] long Revision,
    [property: Id(1)] int Produced,
    [property: Id(2)] int Accepted,
    [property: Id(3)] int Rejected,
    [property: Id(4)] int AwaitingInspection,
    [property: Id(5)] int AwaitingSignOff)
{
    public static readonly TraineeCounters Zero = new(0, 0, 0, 0, 0, 0);

    /// <summary>Units that count toward the pace: accepted plus still in inspection.</summary>
    public int Done => Accepted + AwaitingInspection + AwaitingSignOff;
}

/// <summary>One programme day of a trainee.</summary>
[GenerateSerializer, Alias("bimtek.coordinator.DailyFigures")]
public sealed record DailyFigures([property: Id(0)] DateOnly Day, [property: Id(1)] int Produced, [property: Id(2)] int Accepted, [property: Id(3)] int Rejected);

/// <summary>A trainee's counters and daily series.</summary>
[GenerateSerializer, Alias("bimtek.coordinator.TraineeDetail")]
public sealed record TraineeDetail([property: Id(0)] TraineeCounters Counters, [property: Id(1)] IReadOnlyList<DailyFigures> Days);
