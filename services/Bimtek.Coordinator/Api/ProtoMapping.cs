using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.V1;
using Bimtek.Data.Idempotency;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;
using Phase = Bimtek.Coordinator.Abstractions.ProgrammePhase;

namespace Bimtek.Coordinator.Api;

/// <summary>Between the contract's messages and the grain boundary types.</summary>
internal static class ProtoMapping
{
    /// <summary>
    /// A fingerprint of the request without its request_id: same id + same fingerprint = duplicate.
    /// The first 12 bytes of the suite's request fingerprint (grain state keeps them).
    /// </summary>
    public static string Fingerprint(IMessage request) => RequestFingerprint.Of(request)[..24];

    public static ProgrammeInfo ToInfo(ProgrammeSnapshot snapshot) => new(
        snapshot.Revision, snapshot.ProductCode, snapshot.TargetQuantity, CalendarDays.ToDateOnly(snapshot.StartDay), CalendarDays.ToDateOnly(snapshot.EndDay),
        snapshot.TimeZone, (Phase)(int)snapshot.Phase, snapshot.Code);

    public static V1.ProgrammeSummary ToProto(Abstractions.ProgrammeSummary s) => new()
    {
        ProgrammeId = s.ProgrammeId,
        ProductCode = s.Info.ProductCode,
        Phase = (V1.ProgrammePhase)(int)s.Info.Phase,
        TargetQuantity = s.Info.TargetQuantity,
        StartDay = CalendarDays.ToDate(s.Info.StartDay),
        EndDay = CalendarDays.ToDate(s.Info.EndDay),
        TimeZone = s.Info.TimeZone,
        TraineeCount = s.TraineeCount,
        Produced = s.Produced,
        Accepted = s.Accepted,
        Rejected = s.Rejected,
        AwaitingInspection = s.AwaitingInspection,
        AwaitingSignOff = s.AwaitingSignOff,
        ExpectedByToday = s.ExpectedByDay,
        PercentAccepted = s.PercentAccepted,
        BehindScheduleCount = s.BehindScheduleCount,
        AsOfDay = CalendarDays.ToDate(s.AsOfDay),
        UpdatedAt = Instants.ToTimestampFromUtc(s.UpdatedAt),
    };

    public static TraineeProgress ToProto(TraineeRow r)
    {
        var progress = new TraineeProgress
        {
            TraineeId = r.TraineeId,
            EnrolmentSequence = r.Sequence,
            Status = r.Withdrawn ? TraineeStatus.Withdrawn : TraineeStatus.Enrolled,
            Quota = r.Quota,
            QuotaOverridden = r.Overridden,
            Produced = r.Counters.Produced,
            Accepted = r.Counters.Accepted,
            Rejected = r.Counters.Rejected,
            AwaitingInspection = r.Counters.AwaitingInspection,
            AwaitingSignOff = r.Counters.AwaitingSignOff,
            ExpectedByToday = r.ExpectedByDay,
            PercentAccepted = r.PercentAccepted,
            BehindSchedule = r.BehindSchedule,
        };
        if (r.BehindSince is { } since)
        {
            progress.BehindSinceDay = CalendarDays.ToDate(since);
        }
        return progress;
    }
}
