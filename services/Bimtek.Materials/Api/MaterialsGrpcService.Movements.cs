using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override Task<StockMovement> ReceiveStock(ReceiveStockRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        new RequestValidator().RequestId(request.RequestId)
            .Id("location_id", request.LocationId)
            .Required("supplier_document_number", request.SupplierDocumentNumber, 100)
            .Required("lot_code", request.LotCode, 100)
            .Optional("note", request.Note, 500)
            .OptionalId("programme_id", request.ProgrammeId)
            .Lines(request.Lines)
            .ThrowIfInvalid();

        return movements.ReceiveAsync(caller, request, ProtoMapping.ToMovement, context.CancellationToken);
    }

    public override Task<StockMovement> TransferStock(TransferStockRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        new RequestValidator().RequestId(request.RequestId)
            .Id("from_location_id", request.FromLocationId)
            .Id("to_location_id", request.ToLocationId)
            .When(request.FromLocationId == request.ToLocationId && request.FromLocationId.Length > 0, "to_location_id", "must differ from from_location_id")
            .Optional("note", request.Note, 500)
            .OptionalId("programme_id", request.ProgrammeId)
            .Lines(request.Lines)
            .ThrowIfInvalid();

        return movements.TransferAsync(caller, request, ProtoMapping.ToMovement, context.CancellationToken);
    }

    public override Task<StockMovement> ReturnStock(ReturnStockRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator, Roles.Instructor);
        new RequestValidator().RequestId(request.RequestId)
            .Id("from_location_id", request.FromLocationId)
            .Id("to_location_id", request.ToLocationId)
            .When(request.FromLocationId == request.ToLocationId && request.FromLocationId.Length > 0, "to_location_id", "must differ from from_location_id")
            .Optional("note", request.Note, 500)
            .OptionalId("programme_id", request.ProgrammeId)
            .Lines(request.Lines)
            .ThrowIfInvalid();

        return movements.ReturnAsync(caller, request, ProtoMapping.ToMovement, context.CancellationToken);
    }

    public override Task<StockMovement> AdjustStock(AdjustStockRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        new RequestValidator().RequestId(request.RequestId)
            .Id("location_id", request.LocationId)
            .Id("material_id", request.MaterialId)
            .When(request.QuantityDelta == 0 || Math.Abs(request.QuantityDelta) > StockMath.MaxQuantity || request.QuantityDelta == long.MinValue,
                "quantity_delta", $"must be non-zero and at most {StockMath.MaxQuantity} in size")
            .Required("reason", request.Reason, 500)
            .When(request.LotId.Length > 0 && request.QuantityDelta < 0, "lot_id", "is only for increases; a decrease takes lots first-in first-out")
            .OptionalId("lot_id", request.LotId).ThrowIfInvalid();

        return movements.AdjustAsync(caller, request, ProtoMapping.ToMovement, context.CancellationToken);
    }

}
