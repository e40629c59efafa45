using Bimtek.Materials.Application;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override async Task<Capacity> GetCapacity(GetCapacityRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var capacity = await ReadAsync(context, async db =>
        {
            await Access.EnsureCanReadTraineeAsync(caller, db, request.TraineeId);
            new RequestValidator().Id("trainee_id", request.TraineeId).Id("product_id", request.ProductId).ThrowIfInvalid();
            return await OutputConsumption.CapacityAsync(db, caller, scope, request.TraineeId, request.ProductId);
        });
        return ProtoMapping.ToCapacity(request.TraineeId, request.ProductId, capacity);
    }
}
