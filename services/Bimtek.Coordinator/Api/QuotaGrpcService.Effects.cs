using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;
using static Bimtek.Coordinator.Api.ProtoMapping;

namespace Bimtek.Coordinator.Api;

/// <summary>The effects other services send (programme, enrolment, output and inspection changes); service callers only.</summary>
internal sealed partial class QuotaGrpcService
{
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
            request.RequestId, Fingerprint(request), request.ReportId, ToDay(request.Day), request.Units, request.Rework));
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
            request.RequestId, Fingerprint(request), request.InspectionId, ToDay(request.Day),
            request.InspectedUnits, request.AcceptedUnits, request.RejectedUnits, request.AwaitingSignOffDelta));
        return Acknowledge(result, request.RequestId, request.ProgrammeId);
    }
}
