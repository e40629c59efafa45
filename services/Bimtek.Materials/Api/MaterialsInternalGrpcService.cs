using Bimtek.Materials.Application;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

/// <summary>
/// <c>MaterialsInternalService</c> (materials_internal.proto): consumption for production's output reports, never
/// routed by the gateway. Thin like <see cref="MaterialsGrpcService"/>: check the caller (services and operators, as
/// before), validate, call <see cref="OutputConsumption"/> with the mapping of its answer.
/// </summary>
internal sealed class MaterialsInternalGrpcService(OutputConsumption consumption) : MaterialsInternalService.MaterialsInternalServiceBase
{
    public override Task<ConsumeForOutputResponse> ConsumeForOutput(ConsumeForOutputRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Service, Roles.Operator);
        new RequestValidator().RequestId(request.RequestId)
            .Id("report_id", request.ReportId)
            .Id("trainee_id", request.TraineeId)
            .Id("programme_id", request.ProgrammeId)
            .Id("product_id", request.ProductId)
            .Positive("units", request.Units, StockMath.MaxUnits)
            .ThrowIfInvalid();
        return consumption.ConsumeAsync(caller, request, ProtoMapping.ToConsumeForOutputResponse, context.CancellationToken);
    }
}
