using Bimtek.Data.Persistence;
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
        var offset = PageToken.Offset(request.PageToken, "materials.balances");
        var limit = Limit(request.PageSize);
        return await ReadAsync(context, async db =>
        {
            if (!Access.IsStaffReader(caller))
            {
                await Access.EnsureCanReadLocationAsync(caller, db, request.LocationId);
            }
            validator.ThrowIfInvalid();
            var where = new List<string>();
            if (request.LocationId.Length > 0)
            {
                where.Add("b.location_id = @locationId");
            }
            if (request.MaterialId.Length > 0)
            {
                where.Add("b.material_id = @materialId");
            }
            if (request.LocationKind != LocationKind.Unspecified)
            {
                where.Add("l.kind = @kind");
            }
            if (!request.IncludeZero)
            {
                where.Add("b.quantity > 0");
            }
            var rows = (await db.QueryAsync<BalanceRow>(
                "SELECT b.location_id AS LocationId, b.material_id AS MaterialId, b.quantity AS Quantity, m.base_unit AS BaseUnit, " +
                "m.code AS MaterialCode, b.updated_at AS UpdatedAt FROM balances b JOIN materials m ON m.material_id = b.material_id " +
                "JOIN locations l ON l.location_id = b.location_id WHERE " + string.Join(" AND ", where.DefaultIfEmpty("1 = 1")) +
                " ORDER BY b.location_id, m.code LIMIT @take OFFSET @offset",
                new { locationId = request.LocationId, materialId = request.MaterialId, kind = (int)request.LocationKind, take = limit + 1, offset })).ToList();
            var response = new ListBalancesResponse { NextPageToken = PageToken.NextOffset("materials.balances", offset, limit, rows.Count) };
            response.Balances.Add(rows.Take(limit).Select(ProtoMapping.ToBalance));
            return response;
        });
    }

    public override async Task<ListLedgerEntriesResponse> ListLedgerEntries(ListLedgerEntriesRequest request, ServerCallContext context)
    {
        Access.StaffReader(context.GetCaller());
        var validator = new RequestValidator().PageSize(request.PageSize).Defined("kind", request.Kind, allowUnspecified: true);
        OptionalId(validator, "location_id", request.LocationId);
        OptionalId(validator, "material_id", request.MaterialId);
        OptionalId(validator, "programme_id", request.ProgrammeId);
        OptionalId(validator, "report_id", request.ReportId);
        OptionalId(validator, "lot_id", request.LotId);
        OptionalId(validator, "trainee_id", request.TraineeId).ThrowIfInvalid();
        var offset = PageToken.Offset(request.PageToken, "materials.ledger");
        var limit = Limit(request.PageSize);

        var where = new List<string>();
        void Filter(string value, string clause)
        {
            if (value.Length > 0)
            {
                where.Add(clause);
            }
        }
        Filter(request.LocationId, "location_id = @LocationId");
        Filter(request.MaterialId, "material_id = @MaterialId");
        Filter(request.ProgrammeId, "programme_id = @ProgrammeId");
        Filter(request.ReportId, "report_id = @ReportId");
        Filter(request.LotId, "lot_id = @LotId");
        Filter(request.TraineeId, "trainee_id = @TraineeId");
        if (request.Kind != MovementKind.Unspecified)
        {
            where.Add("kind = @Kind");
        }
        var filter = where.Count > 0 ? "WHERE " + string.Join(" AND ", where) + " " : "";
        var rows = (await ReadAsync(context, db => db.QueryAsync<LedgerEntryRow>(
            $"SELECT {Queries.EntryColumns} FROM ledger_entries {filter}ORDER BY recorded_at DESC, movement_id DESC, seq DESC LIMIT @Take OFFSET @Offset",
            new
            {
                request.LocationId,
                request.MaterialId,
                request.ProgrammeId,
                request.ReportId,
                request.LotId,
                request.TraineeId,
                Kind = (int)request.Kind,
                Take = limit + 1,
                Offset = offset,
            }))).ToList();
        var response = new ListLedgerEntriesResponse { NextPageToken = PageToken.NextOffset("materials.ledger", offset, limit, rows.Count) };
        response.Entries.Add(rows.Take(limit).Select(ProtoMapping.ToEntry));
        return response;
    }

    public override async Task<ListLotsResponse> ListLots(ListLotsRequest request, ServerCallContext context)
    {
        Access.StaffReader(context.GetCaller());
        var validator = new RequestValidator().PageSize(request.PageSize);
        OptionalId(validator, "material_id", request.MaterialId).ThrowIfInvalid();
        var offset = PageToken.Offset(request.PageToken, "materials.lots");
        var limit = Limit(request.PageSize);
        var where = new List<string>();
        if (request.MaterialId.Length > 0)
        {
            where.Add("l.material_id = @materialId");
        }
        if (request.RemainingOnly)
        {
            where.Add("EXISTS (SELECT 1 FROM lot_balances r WHERE r.lot_id = l.lot_id AND r.quantity > 0)");
        }
        var filter = where.Count > 0 ? "WHERE " + string.Join(" AND ", where) + " " : "";
        var rows = (await ReadAsync(context, db => db.QueryAsync<LotRow>(
            "SELECT l.lot_id AS LotId, l.lot_code AS LotCode, l.material_id AS MaterialId, l.receipt_movement_id AS ReceiptMovementId, " +
            "l.supplier_document_number AS SupplierDocumentNumber, l.received_quantity AS ReceivedQuantity, l.received_at AS ReceivedAt, " +
            "(SELECT COALESCE(SUM(r.quantity), 0) FROM lot_balances r WHERE r.lot_id = l.lot_id) AS RemainingQuantity " +
            $"FROM lots l {filter}ORDER BY l.received_at DESC, l.lot_id DESC LIMIT @take OFFSET @offset",
            new { materialId = request.MaterialId, take = limit + 1, offset }))).ToList();
        var response = new ListLotsResponse { NextPageToken = PageToken.NextOffset("materials.lots", offset, limit, rows.Count) };
        response.Lots.Add(rows.Take(limit).Select(ProtoMapping.ToLot));
        return response;
    }
}
