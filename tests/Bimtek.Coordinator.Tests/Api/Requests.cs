using Bimtek.Coordinator.V1;
using Google.Protobuf.WellKnownTypes;

namespace Bimtek.Coordinator.Tests.Api;

/// <summary>Requests as participants' and production's relays send them.</summary>
public sealed class Requests(string? programmeId = null)
{
    public string ProgrammeId { get; } = programmeId ?? Guid.NewGuid().ToString();

    /// <summary>Trainee n's id: a UUID (ids are the suite's UUIDs) that sorts as n does.</summary>
    public static string T(int n) => $"00000000-0000-4000-8000-{n:D12}";

    public ProgrammeSnapshot Snapshot(int target = 60, ProgrammePhase phase = ProgrammePhase.Active, long revision = 1) => new()
    {
        ProgrammeId = ProgrammeId,
        Revision = revision,
        ProductCode = "PPE-SET",
        TargetQuantity = target,
        StartDay = new Google.Type.Date { Year = 2026, Month = 3, Day = 1 },
        EndDay = new Google.Type.Date { Year = 2026, Month = 3, Day = 30 },
        TimeZone = "Asia/Makassar",
        Phase = phase,
    };

    public static string Id() => Guid.NewGuid().ToString();

    public ApplyEnrolmentChangeRequest Enrol(string traineeId, int sequence, int target = 60) => new()
    {
        RequestId = Id(),
        Programme = Snapshot(target),
        TraineeId = traineeId,
        EnrolmentId = "enr-" + traineeId,
        Change = EnrolmentChange.Enrolled,
        EnrolmentSequence = sequence,
        ChangedAt = Timestamp.FromDateTime(DateTime.UtcNow),
    };

    public ApplyOutputRecordedRequest Output(string traineeId, int units) => new()
    {
        RequestId = Id(),
        ReportId = "rep-" + Guid.NewGuid().ToString("N")[..8],
        ProgrammeId = ProgrammeId,
        TraineeId = traineeId,
        Day = new Google.Type.Date { Year = 2026, Month = 3, Day = 2 },
        Units = units,
    };

    public ApplyInspectionResultRequest Inspection(string traineeId, int accepted, int rejected) => new()
    {
        RequestId = Id(),
        InspectionId = "insp-" + Guid.NewGuid().ToString("N")[..8],
        ProgrammeId = ProgrammeId,
        TraineeId = traineeId,
        Day = new Google.Type.Date { Year = 2026, Month = 3, Day = 3 },
        InspectedUnits = accepted + rejected,
        AcceptedUnits = accepted,
        RejectedUnits = rejected,
    };
}
