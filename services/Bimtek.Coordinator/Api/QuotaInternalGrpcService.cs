using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;
using static Bimtek.Coordinator.Api.ProtoMapping;

namespace Bimtek.Coordinator.Api;

/// <summary>
/// <c>QuotaInternalService</c> (quota_internal.proto): the effects other services' outbox relays send (programme,
/// enrolment, output and inspection changes); service callers only. Thin like <see cref="QuotaGrpcService"/>:
/// authorise, validate, call the grains, map the outcome. Not routed by the gateway.
/// </summary>
internal sealed class QuotaInternalGrpcService(IGrainFactory grains) : QuotaInternalService.QuotaInternalServiceBase
{
    private const int MaxIdLength = 100;

    private IProgrammeGrain Programme(string programmeId) => grains.GetGrain<IProgrammeGrain>(GrainKeys.Programme(programmeId));

    private ITraineeQuotaGrain Trainee(string programmeId, string traineeId) => grains.GetGrain<ITraineeQuotaGrain>(GrainKeys.Trainee(programmeId, traineeId));

    public override async Task<ApplyEffectResponse> ApplyProgrammeChange(ApplyProgrammeChangeRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.EffectSenders);
        var v = new RequestValidator().RequestId(request.RequestId);
        ValidateSnapshot(v, "programme", request.Programme);
        v.ThrowIfInvalid();
        var result = await Programme(request.Programme.ProgrammeId).ApplyProgrammeChange(
            new ProgrammeChange(request.RequestId, Fingerprint(request), ToInfo(request.Programme)));
        return Acknowledge(result, request.RequestId, request.Programme.ProgrammeId);
    }

    public override async Task<ApplyEffectResponse> ApplyEnrolmentChange(ApplyEnrolmentChangeRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.EffectSenders);
        var v = new RequestValidator().RequestId(request.RequestId);
        ValidateSnapshot(v, "programme", request.Programme);
        v.Id("trainee_id", request.TraineeId);
        Id(v, "enrolment_id", request.EnrolmentId);
        v.Defined("change", request.Change)
            .Positive("enrolment_sequence", request.EnrolmentSequence, int.MaxValue)
            .When(request.ChangedAt is null, "changed_at", "is required")
            .ThrowIfInvalid();
        var result = await Programme(request.Programme.ProgrammeId).ApplyEnrolmentChange(new Abstractions.EnrolmentChange(
            request.RequestId, Fingerprint(request), ToInfo(request.Programme), request.TraineeId,
            request.EnrolmentId, request.Change == V1.EnrolmentChange.Withdrawn, request.EnrolmentSequence, request.ChangedAt!.ToDateTime()));
        return Acknowledge(result, request.RequestId, request.Programme.ProgrammeId);
    }

    public override async Task<ApplyEffectResponse> ApplyOutputRecorded(ApplyOutputRecordedRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.EffectSenders);
        var v = new RequestValidator().RequestId(request.RequestId);
        Id(v, "report_id", request.ReportId);
        v.Id("programme_id", request.ProgrammeId);
        v.Id("trainee_id", request.TraineeId);
        v.Date("day", request.Day).Positive("units", request.Units, 1_000_000).ThrowIfInvalid();
        var result = await Trainee(request.ProgrammeId, request.TraineeId).ApplyOutput(new OutputRecorded(
            request.RequestId, Fingerprint(request), request.ReportId, CalendarDays.ToDateOnly(request.Day), request.Units, request.Rework));
        return Acknowledge(result, request.RequestId, request.ProgrammeId);
    }

    public override async Task<ApplyEffectResponse> ApplyInspectionResult(ApplyInspectionResultRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.EffectSenders);
        var v = new RequestValidator().RequestId(request.RequestId);
        Id(v, "inspection_id", request.InspectionId);
        v.Id("programme_id", request.ProgrammeId);
        v.Id("trainee_id", request.TraineeId);
        v.Date("day", request.Day)
            .Range("inspected_units", request.InspectedUnits, 0, 1_000_000)
            .Range("accepted_units", request.AcceptedUnits, 0, 1_000_000)
            .Range("rejected_units", request.RejectedUnits, 0, 1_000_000)
            .Range("awaiting_sign_off_delta", request.AwaitingSignOffDelta, -1_000_000, 1_000_000);
        if (request.InspectedUnits > 0)
        {
            v.When(request.InspectedUnits != request.AcceptedUnits + request.RejectedUnits + request.AwaitingSignOffDelta,
                "inspected_units", "must equal accepted_units + rejected_units + awaiting_sign_off_delta for an inspection");
        }
        else
        {
            v.When(-request.AwaitingSignOffDelta != request.AcceptedUnits + request.RejectedUnits,
                "awaiting_sign_off_delta", "must be minus (accepted_units + rejected_units) for a sign-off");
        }
        v.When(request.InspectedUnits == 0 && request.AcceptedUnits == 0 && request.RejectedUnits == 0,
            "inspected_units", "an inspection or sign-off must move at least one unit");
        v.ThrowIfInvalid();
        var result = await Trainee(request.ProgrammeId, request.TraineeId).ApplyInspection(new InspectionResult(
            request.RequestId, Fingerprint(request), request.InspectionId, CalendarDays.ToDateOnly(request.Day),
            request.InspectedUnits, request.AcceptedUnits, request.RejectedUnits, request.AwaitingSignOffDelta));
        return Acknowledge(result, request.RequestId, request.ProgrammeId);
    }

    private static ApplyEffectResponse Acknowledge(EffectResult result, string requestId, string programmeId)
    {
        EffectOutcomes.ThrowIfRefused(result, programmeId);
        return new ApplyEffectResponse { RequestId = requestId };
    }

    /// <summary>
    /// A key another service chose for an effect (report, inspection, enrolment): any text up to 100 characters
    /// without '/'. Programme and trainee ids are the suite's UUIDs (<see cref="RequestValidator.Id"/>): a malformed
    /// one is refused before any grain is asked, as everywhere (400, not 404).
    /// </summary>
    private static void Id(RequestValidator v, string field, string value)
    {
        v.Required(field, value, MaxIdLength);
        v.When(value.Contains('/', StringComparison.Ordinal), field, "must not contain '/'");
    }

    private static void ValidateSnapshot(RequestValidator v, string field, ProgrammeSnapshot? snapshot)
    {
        v.Present(field, snapshot);
        if (snapshot is null)
        {
            return;
        }
        v.Id($"{field}.programme_id", snapshot.ProgrammeId);
        v.Range($"{field}.revision", snapshot.Revision, 0, long.MaxValue)
            .Required($"{field}.product_code", snapshot.ProductCode, 64)
            .Positive($"{field}.target_quantity", snapshot.TargetQuantity, 10_000_000)
            .Date($"{field}.start_day", snapshot.StartDay)
            .Date($"{field}.end_day", snapshot.EndDay)
            .Defined($"{field}.phase", snapshot.Phase)
            .When(!TimeZoneInfo.TryFindSystemTimeZoneById(snapshot.TimeZone ?? "", out _), $"{field}.time_zone", "must be an IANA time zone");
        if (snapshot.StartDay is not null && snapshot.EndDay is not null
            && RequestValidator.TryToDateOnly(snapshot.StartDay, out var start) && RequestValidator.TryToDateOnly(snapshot.EndDay, out var end))
        {
            v.When(end < start, $"{field}.end_day", "must not be before start_day");
        }
    }
}
