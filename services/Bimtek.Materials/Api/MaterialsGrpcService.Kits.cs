using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public const int MaxTrainees = 10_000;

    public override Task<KitPlan> PlanKits(PlanKitsRequest request, ServerCallContext context)
    {
        Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("product_id", request.ProductId)
            .Id("source_location_id", request.SourceLocationId)
            .When(request.Quotas.Count is 0 or > MaxTrainees, "quotas", $"must have 1–{MaxTrainees} entries");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Quotas.Count && i < MaxTrainees; i++)
        {
            var quota = request.Quotas[i];
            validator.Id($"quotas[{i}].trainee_id", quota.TraineeId)
                .Positive($"quotas[{i}].quota", quota.Quota, StockMath.MaxUnits)
                .Optional($"quotas[{i}].trainee_subject", quota.TraineeSubject, 200)
                .When(!seen.Add(quota.TraineeId), $"quotas[{i}].trainee_id", "names a trainee already planned on another entry");
        }
        validator.ThrowIfInvalid();
        return kits.PlanAsync(request, context.CancellationToken);
    }

    public override async Task<KitPlan> GetKitPlan(GetKitPlanRequest request, ServerCallContext context)
    {
        var caller = Access.StaffReader(context.GetCaller());
        new RequestValidator().Id("kit_plan_id", request.KitPlanId).ThrowIfInvalid();
        return ProtoMapping.ToKitPlan(await ReadAsync(context, db => kits.GetAsync(db, caller, request.KitPlanId, context.CancellationToken)));
    }

    public override Task<KitPlan> DispatchKitPlan(DispatchKitPlanRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId)
            .Id("kit_plan_id", request.KitPlanId)
            .When(request.TraineeIds.Count > MaxTrainees, "trainee_ids", $"must have at most {MaxTrainees} entries");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.TraineeIds.Count && i < MaxTrainees; i++)
        {
            validator.Id($"trainee_ids[{i}]", request.TraineeIds[i])
                .When(!seen.Add(request.TraineeIds[i]), $"trainee_ids[{i}]", "is named twice");
        }
        validator.ThrowIfInvalid();
        return kits.DispatchAsync(caller, request, context.CancellationToken);
    }
}
