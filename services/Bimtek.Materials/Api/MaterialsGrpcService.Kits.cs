using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override Task<KitPlan> PlanKits(PlanKitsRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        new RequestValidator().RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("product_id", request.ProductId)
            .Id("source_location_id", request.SourceLocationId)
            .Quotas(request.Quotas)
            .ThrowIfInvalid();
        return kits.PlanAsync(caller, request, ProtoMapping.ToKitPlan, context.CancellationToken);
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
        new RequestValidator().RequestId(request.RequestId)
            .Id("kit_plan_id", request.KitPlanId)
            .TraineeIds(request.TraineeIds)
            .ThrowIfInvalid();
        return kits.DispatchAsync(caller, request, ProtoMapping.ToKitPlan, context.CancellationToken);
    }
}
