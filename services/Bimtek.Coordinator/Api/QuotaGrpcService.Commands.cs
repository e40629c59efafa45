using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;
using static Bimtek.Coordinator.Api.ProtoMapping;

namespace Bimtek.Coordinator.Api;

/// <summary>What operators and instructors change: quota overrides and pace evaluation.</summary>
internal sealed partial class QuotaGrpcService
{
    public override async Task<ProgrammeProgress> OverrideQuota(OverrideQuotaRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.QuotaEditors);
        var v = new RequestValidator().RequestId(request.RequestId);
        v.Id("programme_id", request.ProgrammeId);
        v.Id("trainee_id", request.TraineeId);
        v.Required("reason", request.Reason, 500).ThrowIfInvalid();
        var programme = Programme(request.ProgrammeId);
        var current = await programme.GetProgress(null) ?? throw new NotFoundException("programme", request.ProgrammeId);
        // The effective range is the programme's: the same message below 0 as above the target.
        var target = current.Summary.Info.TargetQuantity;
        if (request.Quota < 0 || request.Quota > target)
        {
            throw new ValidationException("quota", $"must be between 0 and the programme's target ({target})", ErrorReasons.ValueOutOfRange);
        }
        var result = await programme.SetOverride(new QuotaOverride(
            request.RequestId, Fingerprint(request), request.TraineeId, request.Quota, request.Reason));
        EffectOutcomes.ThrowIfRefused(result, request.ProgrammeId);
        return await ProgressAsync(request.ProgrammeId, null, null);
    }

    public override async Task<ProgrammeProgress> ClearQuotaOverride(ClearQuotaOverrideRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.QuotaEditors);
        var v = new RequestValidator().RequestId(request.RequestId);
        v.Id("programme_id", request.ProgrammeId);
        v.Id("trainee_id", request.TraineeId);
        v.ThrowIfInvalid();
        var result = await Programme(request.ProgrammeId).SetOverride(new QuotaOverride(
            request.RequestId, Fingerprint(request), request.TraineeId, null, ""));
        EffectOutcomes.ThrowIfRefused(result, request.ProgrammeId);
        return await ProgressAsync(request.ProgrammeId, null, null);
    }

    public override async Task<ProgrammeProgress> EvaluatePace(EvaluatePaceRequest request, ServerCallContext context)
    {
        context.GetCaller().Require(Access.PaceEvaluators);
        var v = new RequestValidator().RequestId(request.RequestId);
        v.Id("programme_id", request.ProgrammeId);
        v.Date("as_of_day", request.AsOfDay, required: false).ThrowIfInvalid();
        DateOnly? day = request.AsOfDay is null ? null : CalendarDays.ToDateOnly(request.AsOfDay);
        var result = await Programme(request.ProgrammeId).EvaluatePace(
            new PaceEvaluation(request.RequestId, Fingerprint(request), day));
        EffectOutcomes.ThrowIfRefused(result, request.ProgrammeId);
        return await ProgressAsync(request.ProgrammeId, day, null);
    }
}
