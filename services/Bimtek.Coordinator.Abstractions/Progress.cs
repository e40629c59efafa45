namespace Bimtek.Coordinator.Abstractions;

/// <summary>One trainee's quota and progress as of a programme day.</summary>
[GenerateSerializer, Alias("bimtek.coordinator.TraineeRow")]
public sealed record TraineeRow(
    [property: Id(0)] string TraineeId,
    [property: Id(1)] int Sequence,
    [property: Id(2)] bool Withdrawn,
    [property: Id(3)] int Quota,
    [property: Id(4)] bool Overridden,
    [property: Id(5)] TraineeCounters Counters,
    [property: Id(6)] int ExpectedByDay,
    [property: Id(7)] int PercentAccepted,
    [property: Id(8)] bool BehindSchedule,
    [property: Id(9)] DateOnly? BehindSince);

/// <summary>A programme's totals as of a programme day.</summary>
[GenerateSerializer, Alias("bimtek.coordinator.ProgrammeSummary")]
public sealed record ProgrammeSummary(
    [property: Id(0)] string ProgrammeId,
    [property: Id(1)] ProgrammeInfo Info,
    [property: Id(2)] int TraineeCount,
    [property: Id(3)] int Produced,
    [property: Id(4)] int Accepted,
    [property: Id(5)] int Rejected,
    [property: Id(6)] int AwaitingInspection,
    [property: Id(7)] int AwaitingSignOff,
    [property: Id(8)] int ExpectedByDay,
    [property: Id(9)] int PercentAccepted,
    [property: Id(10)] int BehindScheduleCount,
    [property: Id(11)] DateOnly AsOfDay,
    [property: Id(12)] DateTime UpdatedAt);

/// <summary>
/// Totals with trainees (all of them, or only those that changed in a live update), and the programme's change
/// sequence they bring a watcher up to.
/// </summary>
[GenerateSerializer, Alias("bimtek.coordinator.ProgrammeProgressView")]
public sealed record ProgrammeProgressView(
    [property: Id(0)] ProgrammeSummary Summary,
    [property: Id(1)] IReadOnlyList<TraineeRow> Trainees,
    [property: Id(2)] long ChangeSequence = 0);

/// <summary>
/// What a resuming watcher needs: with <see cref="Full"/>, every trainee (the resume point was not known or some
/// change touched everyone); otherwise only the trainees changed since the point.
/// </summary>
[GenerateSerializer, Alias("bimtek.coordinator.ProgressCatchUp")]
public sealed record ProgressCatchUp(
    [property: Id(0)] ProgrammeProgressView View,
    [property: Id(1)] bool Full);
