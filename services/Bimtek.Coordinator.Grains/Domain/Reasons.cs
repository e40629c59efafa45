namespace Bimtek.Coordinator.Grains.Domain;

/// <summary>
/// Every reason code the coordinator answers with (<c>ErrorInfo.reason</c>) besides the suite's common ones.
/// The grains decide them; the host's <c>Api/QuotaGrpcService</c> turns them into FAILED_PRECONDITION.
/// </summary>
public static class Reasons
{
    /// <summary>The trainee is not (or no longer) enrolled in the programme.</summary>
    public const string TraineeNotEnrolled = "TRAINEE_NOT_ENROLLED";

    /// <summary>A quota override the other trainees' quotas cannot absorb (the sum would miss the target).</summary>
    public const string OverrideCannotBeAbsorbed = "OVERRIDE_CANNOT_BE_ABSORBED";

    /// <summary>Pace is evaluated only for an active programme.</summary>
    public const string ProgrammeNotActive = "PROGRAMME_NOT_ACTIVE";

    /// <summary>A refusal the grain gave no reason for.</summary>
    public const string Refused = "FAILED_PRECONDITION";
}
