using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Materials.Application;

/// <summary>
/// Receipts, transfers, returns and adjustments: each one idempotent transaction that checks its locations' kinds
/// (<see cref="LocationRules"/>) and materials, then posts through <see cref="StockPosting"/> (balances locked in one
/// order, all or nothing, lots first-in first-out). The executor stores the answer for replays, so the handler gives
/// the mapping that makes it from the movement posted.
/// </summary>
internal sealed class StockMovements(IdempotentExecutor idempotency, TimeProvider clock, OfficeScope scope)
{
    /// <summary>Province stock arrives at a warehouse or office; each line becomes a lot of the receipt.</summary>
    public Task<TResponse> ReceiveAsync<TResponse>(Caller caller, ReceiveStockRequest request, Func<StoredMovement, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var location = await Lookups.RequireLocationAsync(session, caller, scope, request.LocationId);
            LocationRules.EnsureReceiptDestination(location.IsTraineeHome);
            await Lookups.RequireMaterialsAsync(session, request.Lines.Select(l => l.MaterialId));
            var now = clock.NowMs();
            var movementId = OrderedIds.Next(clock);
            var posting = await StockPosting.LockAsync(session, now, request.Lines.Select(l => (location.LocationId, l.MaterialId)));
            var lines = new List<MovementLine>();
            foreach (var line in request.Lines)
            {
                var lotId = OrderedIds.Next(clock);
                await MovementStore.InsertLotAsync(session, lotId, request.LotCode.Trim(), line.MaterialId, movementId,
                    request.SupplierDocumentNumber.Trim(), line.Quantity, now);
                lines.Add(new MovementLine(line.MaterialId, line.Quantity, lotId));
            }
            var header = new MovementHeader(MovementKind.Receipt, "", location.LocationId, caller.Subject,
                SupplierDocumentNumber: request.SupplierDocumentNumber.Trim(), ProgrammeId: request.ProgrammeId, Reason: request.Note);
            return respond(await posting.PostAsync(header, lines, movementId));
        }, cancellationToken);

    /// <summary>Between warehouses and offices, or to a trainee home; never out of a home.</summary>
    public Task<TResponse> TransferAsync<TResponse>(Caller caller, TransferStockRequest request, Func<StoredMovement, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var from = await Lookups.RequireLocationAsync(session, caller, scope, request.FromLocationId);
            var to = await Lookups.RequireLocationAsync(session, caller, scope, request.ToLocationId);
            LocationRules.EnsureTransferSource(from.IsTraineeHome);
            await Lookups.RequireMaterialsAsync(session, request.Lines.Select(l => l.MaterialId));
            var header = new MovementHeader(MovementKind.Transfer, from.LocationId, to.LocationId, caller.Subject,
                ProgrammeId: request.ProgrammeId, TraineeId: to.TraineeId ?? "", Reason: request.Note);
            return respond(await MoveAsync(session, header, request.Lines));
        }, cancellationToken);

    /// <summary>From a trainee home back to a warehouse or office.</summary>
    public Task<TResponse> ReturnAsync<TResponse>(Caller caller, ReturnStockRequest request, Func<StoredMovement, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var from = await Lookups.RequireLocationAsync(session, caller, scope, request.FromLocationId);
            var to = await Lookups.RequireLocationAsync(session, caller, scope, request.ToLocationId);
            LocationRules.EnsureReturn(from.IsTraineeHome, to.IsTraineeHome);
            await Lookups.RequireMaterialsAsync(session, request.Lines.Select(l => l.MaterialId));
            var header = new MovementHeader(MovementKind.Return, from.LocationId, to.LocationId, caller.Subject,
                ProgrammeId: request.ProgrammeId, TraineeId: from.TraineeId ?? "", Reason: request.Note);
            return respond(await MoveAsync(session, header, request.Lines));
        }, cancellationToken);

    /// <summary>A stock count's correction: an increase enters as the named lot (or none), a decrease takes lots FIFO.</summary>
    public Task<TResponse> AdjustAsync<TResponse>(Caller caller, AdjustStockRequest request, Func<StoredMovement, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var location = await Lookups.RequireLocationAsync(session, caller, scope, request.LocationId);
            await Lookups.RequireMaterialsAsync(session, [request.MaterialId]);
            if (request.LotId.Length > 0)
            {
                var lotMaterial = await MovementStore.LotMaterialAsync(session, request.LotId) ?? throw new NotFoundException("lot", request.LotId);
                if (lotMaterial != request.MaterialId)
                {
                    throw new ValidationException("lot_id", "is a lot of another material");
                }
            }
            var increase = request.QuantityDelta > 0;
            var header = new MovementHeader(MovementKind.Adjustment,
                increase ? "" : location.LocationId, increase ? location.LocationId : "", caller.Subject,
                TraineeId: location.TraineeId ?? "", Reason: request.Reason.Trim());
            var posting = await StockPosting.LockAsync(session, clock.NowMs(), [(location.LocationId, request.MaterialId)]);
            var quantity = Math.Abs(request.QuantityDelta);
            if (!increase)
            {
                await posting.EnsureAvailableAsync(location.LocationId, [(request.MaterialId, quantity)]);
            }
            return respond(await posting.PostAsync(header, [new MovementLine(request.MaterialId, quantity, request.LotId)], OrderedIds.Next(clock)));
        }, cancellationToken);

    /// <summary>Moves lines from the header's source to its destination, lots FIFO, all or nothing.</summary>
    private async Task<StoredMovement> MoveAsync(DbSession session, MovementHeader header, IEnumerable<MaterialQuantity> requested)
    {
        var lines = requested.Select(l => new MovementLine(l.MaterialId, l.Quantity)).ToList();
        var keys = lines.SelectMany(l => new[] { (header.FromLocationId, l.MaterialId), (header.ToLocationId, l.MaterialId) });
        var posting = await StockPosting.LockAsync(session, clock.NowMs(), keys);
        await posting.EnsureAvailableAsync(header.FromLocationId, lines.Select(l => (l.MaterialId, l.Quantity)));
        return await posting.PostAsync(header, lines, OrderedIds.Next(clock));
    }
}
