namespace Bimtek.Coordinator.Abstractions;

// Every command carries the caller's request id and a fingerprint of the request, so the grain
// can tell a duplicate (same id, same fingerprint) from a reused id (same id, other fingerprint).

[GenerateSerializer, Alias("bimtek.coordinator.ProgrammeChange")]
public sealed record ProgrammeChange(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] ProgrammeInfo Programme);

[GenerateSerializer, Alias("bimtek.coordinator.EnrolmentChange")]
public sealed record EnrolmentChange(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] ProgrammeInfo Programme,
    [property: Id(3)] string TraineeId,
    [property: Id(4)] string EnrolmentId,
    [property: Id(5)] bool Withdrawn,
    [property: Id(6)] int Sequence,
    [property: Id(7)] DateTime ChangedAt);

[GenerateSerializer, Alias("bimtek.coordinator.OutputRecorded")]
public sealed record OutputRecorded(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] string ReportId,
    [property: Id(3)] DateOnly Day,
    [property: Id(4)] int Units,
    [property: Id(5)] bool Rework);

[GenerateSerializer, Alias("bimtek.coordinator.InspectionResult")]
public sealed record InspectionResult(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] string InspectionId,
    [property: Id(3)] DateOnly Day,
    [property: Id(4)] int InspectedUnits,
    [property: Id(5)] int AcceptedUnits,
    [property: Id(6)] int RejectedUnits,
    [property: Id(7)] int AwaitingSignOffDelta);

/// <summary>Sets (Quota set) or clears (Quota null) a trainee's quota override.</summary>
[GenerateSerializer, Alias("bimtek.coordinator.QuotaOverride")]
public sealed record QuotaOverride(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] string TraineeId,
    [property: Id(3)] int? Quota,
    [property: Id(4)] string Reason);

[GenerateSerializer, Alias("bimtek.coordinator.PaceEvaluation")]
public sealed record PaceEvaluation(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Fingerprint,
    [property: Id(2)] DateOnly? Day);
