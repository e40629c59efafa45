using Bimtek.Materials.Data;
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
        var validator = new RequestValidator().RequestId(request.RequestId)
            .Id("location_id", request.LocationId)
            .Required("supplier_document_number", request.SupplierDocumentNumber, 100)
            .Required("lot_code", request.LotCode, 100)
            .Optional("note", request.Note, 500);
        OptionalId(validator, "programme_id", request.ProgrammeId);
        Lines(validator, request.Lines).ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            var location = await RequireLocationAsync(db, caller, request.LocationId);
            if (location.Kind == (int)LocationKind.TraineeHome)
            {
                throw WrongKind("location_id", "Receipts from the province go to a warehouse or office, not a trainee home.");
            }
            await RequireMaterialsAsync(db, request.Lines.Select(l => l.MaterialId));
            var now = Now();
            var movementId = Guid.NewGuid().ToString();
            var posting = await StockPosting.LockAsync(session, now, request.Lines.Select(l => (location.LocationId, l.MaterialId)));
            var lines = new List<MovementLine>();
            foreach (var line in request.Lines)
            {
                var lotId = Guid.NewGuid().ToString();
                await session.ExecuteAsync(
                    "INSERT INTO lots (lot_id, lot_code, material_id, receipt_movement_id, supplier_document_number, received_quantity, received_at) " +
                    "VALUES (@lotId, @lotCode, @materialId, @movementId, @document, @quantity, @now)",
                    new { lotId, lotCode = request.LotCode.Trim(), materialId = line.MaterialId, movementId, document = request.SupplierDocumentNumber.Trim(), quantity = line.Quantity, now });
                lines.Add(new MovementLine(line.MaterialId, line.Quantity, lotId));
            }
            var header = new MovementHeader(MovementKind.Receipt, "", location.LocationId, caller.Subject,
                SupplierDocumentNumber: request.SupplierDocumentNumber.Trim(), ProgrammeId: request.ProgrammeId, Reason: request.Note);
            return await posting.PostAsync(header, lines, movementId);
        }, context.CancellationToken);
    }

    public override Task<StockMovement> TransferStock(TransferStockRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId)
            .Id("from_location_id", request.FromLocationId)
            .Id("to_location_id", request.ToLocationId)
            .When(request.FromLocationId == request.ToLocationId && request.FromLocationId.Length > 0, "to_location_id", "must differ from from_location_id")
            .Optional("note", request.Note, 500);
        OptionalId(validator, "programme_id", request.ProgrammeId);
        Lines(validator, request.Lines).ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            var from = await RequireLocationAsync(db, caller, request.FromLocationId);
            var to = await RequireLocationAsync(db, caller, request.ToLocationId);
            if (from.Kind == (int)LocationKind.TraineeHome)
            {
                throw WrongKind("from_location_id", "Stock leaves a trainee home by ReturnStock or consumption, not by transfer.");
            }
            await RequireMaterialsAsync(db, request.Lines.Select(l => l.MaterialId));
            var header = new MovementHeader(MovementKind.Transfer, from.LocationId, to.LocationId, caller.Subject,
                ProgrammeId: request.ProgrammeId, TraineeId: to.TraineeId ?? "", Reason: request.Note);
            return await MoveAsync(session, header, request.Lines);
        }, context.CancellationToken);
    }

    public override Task<StockMovement> ReturnStock(ReturnStockRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller().Require(Roles.Operator, Roles.Instructor);
        var validator = new RequestValidator().RequestId(request.RequestId)
            .Id("from_location_id", request.FromLocationId)
            .Id("to_location_id", request.ToLocationId)
            .When(request.FromLocationId == request.ToLocationId && request.FromLocationId.Length > 0, "to_location_id", "must differ from from_location_id")
            .Optional("note", request.Note, 500);
        OptionalId(validator, "programme_id", request.ProgrammeId);
        Lines(validator, request.Lines).ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            var from = await RequireLocationAsync(db, caller, request.FromLocationId);
            var to = await RequireLocationAsync(db, caller, request.ToLocationId);
            if (from.Kind != (int)LocationKind.TraineeHome)
            {
                throw WrongKind("from_location_id", "Returns come from a trainee home.");
            }
            if (to.Kind == (int)LocationKind.TraineeHome)
            {
                throw WrongKind("to_location_id", "Returns go to a warehouse or office.");
            }
            await RequireMaterialsAsync(db, request.Lines.Select(l => l.MaterialId));
            var header = new MovementHeader(MovementKind.Return, from.LocationId, to.LocationId, caller.Subject,
                ProgrammeId: request.ProgrammeId, TraineeId: from.TraineeId ?? "", Reason: request.Note);
            return await MoveAsync(session, header, request.Lines);
        }, context.CancellationToken);
    }

    public override Task<StockMovement> AdjustStock(AdjustStockRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId)
            .Id("location_id", request.LocationId)
            .Id("material_id", request.MaterialId)
            .When(request.QuantityDelta == 0 || Math.Abs(request.QuantityDelta) > StockMath.MaxQuantity || request.QuantityDelta == long.MinValue,
                "quantity_delta", $"must be non-zero and at most {StockMath.MaxQuantity} in size")
            .Required("reason", request.Reason, 500)
            .When(request.LotId.Length > 0 && request.QuantityDelta < 0, "lot_id", "is only for increases; a decrease takes lots first-in first-out");
        OptionalId(validator, "lot_id", request.LotId).ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            var location = await RequireLocationAsync(db, caller, request.LocationId);
            await RequireMaterialsAsync(db, [request.MaterialId]);
            if (request.LotId.Length > 0)
            {
                var lotMaterial = await db.SingleOrDefaultAsync<string>(
                    "SELECT material_id FROM lots WHERE lot_id = @lotId", new { lotId = request.LotId })
                    ?? throw new NotFoundException("lot", request.LotId);
                if (lotMaterial != request.MaterialId)
                {
                    throw new ValidationException("lot_id", "is a lot of another material");
                }
            }
            var increase = request.QuantityDelta > 0;
            var header = new MovementHeader(MovementKind.Adjustment,
                increase ? "" : location.LocationId, increase ? location.LocationId : "", caller.Subject,
                TraineeId: location.TraineeId ?? "", Reason: request.Reason.Trim());
            var posting = await StockPosting.LockAsync(session, Now(), [(location.LocationId, request.MaterialId)]);
            var quantity = Math.Abs(request.QuantityDelta);
            if (!increase)
            {
                await posting.EnsureAvailableAsync(location.LocationId, [(request.MaterialId, quantity)]);
            }
            return await posting.PostAsync(header, [new MovementLine(request.MaterialId, quantity, request.LotId)]);
        }, context.CancellationToken);
    }

    /// <summary>Moves lines from header's source to its destination, lots FIFO, all or nothing.</summary>
    private async Task<StockMovement> MoveAsync(Bimtek.Data.Persistence.DbSession session, MovementHeader header, IEnumerable<MaterialQuantity> requested)
    {
        var lines = requested.Select(l => new MovementLine(l.MaterialId, l.Quantity)).ToList();
        var keys = lines.SelectMany(l => new[] { (header.FromLocationId, l.MaterialId), (header.ToLocationId, l.MaterialId) });
        var posting = await StockPosting.LockAsync(session, Now(), keys);
        await posting.EnsureAvailableAsync(header.FromLocationId, lines.Select(l => (l.MaterialId, l.Quantity)));
        return await posting.PostAsync(header, lines);
    }
}
