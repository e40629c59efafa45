using Bimtek.Materials.Data;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override async Task<StockMovement> GetStockMovement(GetStockMovementRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return await ReadAsync(context, async db =>
        {
            var staff = Access.IsStaffReader(caller);
            if (staff)
            {
                new RequestValidator().Id("movement_id", request.MovementId).ThrowIfInvalid();
            }
            var movement = Guid.TryParse(request.MovementId, out _) ? await Queries.MovementAsync(db, request.MovementId) : null;
            if (movement is not null && (!await offices.CoversAsync(caller, movement.ProgrammeId, context.CancellationToken)
                || !await CoversEitherLocationAsync(db, caller, movement.FromLocationId, movement.ToLocationId)))
            {
                movement = null; // another office's programme's or locations' movement is answered as an unknown one
            }
            if (!staff)
            {
                // A trainee sees movements of their own home only; unknown ids look the same as others'.
                if (movement is null || movement.TraineeId.Length == 0)
                {
                    throw new PermissionDeniedException("A trainee may read only movements of their own home.");
                }
                await Access.EnsureCanReadTraineeAsync(caller, db, movement.TraineeId);
            }
            return movement ?? throw new NotFoundException("stock_movement", request.MovementId);
        });
    }

    public override async Task<ListBalancesResponse> ListBalances(ListBalancesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var validator = new RequestValidator().PageSize(request.PageSize)
            .Defined("location_kind", request.LocationKind, allowUnspecified: true)
            .When(request.LocationId.Length == 0 && request.MaterialId.Length == 0 && request.LocationKind == LocationKind.Unspecified,
                "location_id", "location_id, material_id or location_kind is required");
        OptionalId(validator, "location_id", request.LocationId);
        OptionalId(validator, "material_id", request.MaterialId);
        var page = ListQueries.Balances.Page(request.PageToken, Limit(request.PageSize));
        return await ReadAsync(context, async db =>
        {
            if (!Access.IsStaffReader(caller))
            {
                await Access.EnsureCanReadLocationAsync(caller, db, request.LocationId);
            }
            validator.ThrowIfInvalid();
            // Operators and integrators see their office's locations' balances only (another office's location: none).
            var (rows, next) = ListQueries.Balances.Cut(await ListQueries.BalancesAsync(db, request.LocationId, request.MaterialId,
                (int)request.LocationKind, request.IncludeZero, OfficeFilter(caller, "l.office"), OfficesOf(caller), page), page);
            var response = new ListBalancesResponse { NextPageToken = next };
            response.Balances.Add(rows.Select(ProtoMapping.ToBalance));
            return response;
        });
    }

    public override async Task<ListLedgerEntriesResponse> ListLedgerEntries(ListLedgerEntriesRequest request, ServerCallContext context)
    {
        var caller = Access.StaffReader(context.GetCaller());
        var validator = new RequestValidator().PageSize(request.PageSize).Defined("kind", request.Kind, allowUnspecified: true);
        OptionalId(validator, "location_id", request.LocationId);
        OptionalId(validator, "material_id", request.MaterialId);
        OptionalId(validator, "programme_id", request.ProgrammeId);
        OptionalId(validator, "report_id", request.ReportId);
        OptionalId(validator, "lot_id", request.LotId);
        OptionalId(validator, "trainee_id", request.TraineeId).ThrowIfInvalid();
        var page = ListQueries.Ledger.Page(request.PageToken, Limit(request.PageSize));
        var filter = new ListQueries.LedgerFilter(
            request.LocationId, request.MaterialId, request.ProgrammeId, request.ReportId, request.LotId, request.TraineeId, (int)request.Kind);
        // Entries at another office's locations are left out in the query...
        var (rows, next) = ListQueries.Ledger.Cut(
            await ReadAsync(context, db => ListQueries.LedgerAsync(db, filter, OfficeFilter(caller, "o.office"), OfficesOf(caller), page)), page);
        var response = new ListLedgerEntriesResponse { NextPageToken = next };
        // ...and those of another office's programmes after the page is cut.
        response.Entries.Add((await offices.VisibleAsync(caller, rows, e => e.ProgrammeId, context.CancellationToken)).Select(ProtoMapping.ToEntry));
        return response;
    }

    public override async Task<ListLotsResponse> ListLots(ListLotsRequest request, ServerCallContext context)
    {
        var caller = Access.StaffReader(context.GetCaller());
        var validator = new RequestValidator().PageSize(request.PageSize);
        OptionalId(validator, "material_id", request.MaterialId).ThrowIfInvalid();
        var page = ListQueries.Lots.Page(request.PageToken, Limit(request.PageSize));
        // Operators and integrators see the lots at their office's locations, and what remains of each there.
        var (rows, next) = ListQueries.Lots.Cut(await ReadAsync(context,
            db => ListQueries.LotsAsync(db, request.MaterialId, request.RemainingOnly, OfficeFilter(caller, "o.office"), OfficesOf(caller), page)), page);
        var response = new ListLotsResponse { NextPageToken = next };
        response.Lots.Add(rows.Select(ProtoMapping.ToLot));
        return response;
    }
}
