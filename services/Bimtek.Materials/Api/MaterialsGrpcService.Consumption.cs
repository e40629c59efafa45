using System.Collections.Concurrent;
using Bimtek.Data.Idempotency;
using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Dapper;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
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

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            var hash = RequestFingerprint.Of(request);
            var movementId = Guid.NewGuid().ToString();
            // The product (which BOM version is current) and the trainee's home in one round trip.
            ProductRow? product;
            LocationRow? home;
            await using (var reads = await session.Connection.QueryMultipleAsync(new CommandDefinition(
                $"SELECT {Queries.ProductColumns} FROM products WHERE product_id = @productId;\n" +
                $"SELECT {Queries.LocationColumns} FROM locations WHERE trainee_id = @traineeId",
                new { productId = request.ProductId, traineeId = request.TraineeId }, session.Transaction, cancellationToken: session.CancellationToken)))
            {
                product = await reads.ReadSingleOrDefaultAsync<ProductRow>();
                home = await reads.ReadSingleOrDefaultAsync<LocationRow>();
            }
            if (product is null)
            {
                throw new NotFoundException("product", request.ProductId);
            }
            var bom = await PublishedBomAsync(db, product);
            // Insert-first on the report id: whichever request_id carries a report, the key decides
            // that it is consumed once; a concurrent twin waits here, then replays.
            var inserted = await session.ExecuteAsync(
                "INSERT INTO consumption_reports (report_id, request_hash, trainee_id, programme_id, product_id, bom_version, units, movement_id, created_at) " +
                "VALUES (@reportId, @hash, @traineeId, @programmeId, @productId, @version, @units, @movementId, @now) ON CONFLICT (report_id) DO NOTHING",
                new
                {
                    reportId = request.ReportId,
                    hash,
                    traineeId = request.TraineeId,
                    programmeId = request.ProgrammeId,
                    productId = request.ProductId,
                    version = bom.Version,
                    units = request.Units,
                    movementId,
                    now = Now(),
                });
            if (inserted == 0)
            {
                return await ReplayConsumptionAsync(db, request.ReportId, hash);
            }

            var needs = Queries.Specs(bom).Select(spec => (spec.MaterialId, Quantity: Consumption(spec, request.Units))).ToList();
            if (home is null)
            {
                var codes = await StockPosting.MaterialCodesAsync(session, needs.Select(n => n.MaterialId));
                throw ShortageError.Create($"home of trainee {request.TraineeId} (no kit sent yet)", needs
                    .Select(n => new ShortageLine(n.MaterialId, codes.GetValueOrDefault(n.MaterialId, n.MaterialId), n.Quantity, 0))
                    .OrderBy(s => s.MaterialCode, StringComparer.Ordinal).ToList());
            }
            var posting = await StockPosting.LockAsync(session, Now(), needs.Select(n => (home.LocationId, n.MaterialId)));
            await posting.EnsureAvailableAsync(home.LocationId, needs);
            var header = new MovementHeader(MovementKind.Consumption, home.LocationId, "", caller.Subject,
                ProgrammeId: request.ProgrammeId, TraineeId: request.TraineeId, ReportId: request.ReportId,
                Reason: $"{request.Units} x {product.Code} (BOM v{bom.Version})");
            var movement = await posting.PostAsync(header, needs.Select(n => new MovementLine(n.MaterialId, n.Quantity)).ToList(), movementId);
            return new ConsumeForOutputResponse { Movement = movement, BomVersion = bom.Version };
        }, context.CancellationToken);
    }

    /// <summary>
    /// Published BOM versions never change (bom_versions and bom_lines are insert-only, and a material's
    /// code never changes), so a version read once is kept for the life of the process. Only versions
    /// named by a product's committed current_bom_version are read here, so nothing uncommitted is kept.
    /// The product row itself (which version is current) is still read on every call.
    /// </summary>
    private static readonly ConcurrentDictionary<(string ProductId, int Version), BomVersion> _publishedBoms = new();

    private static async Task<BomVersion> PublishedBomAsync(Db db, ProductRow product)
    {
        if (product.CurrentBomVersion > 0 && _publishedBoms.TryGetValue((product.ProductId, product.CurrentBomVersion), out var known))
        {
            return known;
        }
        var bom = await CurrentBomAsync(db, product);
        if (_publishedBoms.Count < 10_000)
        {
            _publishedBoms[(product.ProductId, bom.Version)] = bom;
        }
        return bom;
    }

    private static async Task<ConsumeForOutputResponse> ReplayConsumptionAsync(Db db, string reportId, string hash)
    {
        var stored = (await db.SingleOrDefaultAsync<ConsumptionReportRow>(
            "SELECT report_id AS ReportId, request_hash AS RequestHash, bom_version AS BomVersion, movement_id AS MovementId " +
            "FROM consumption_reports WHERE report_id = @reportId", new { reportId }))!;
        if (stored.RequestHash != hash)
        {
            throw new ValidationException("report_id",
                "was already consumed with a different trainee, programme, product or units", Reasons.ReportIdReused);
        }
        var movement = await Queries.MovementAsync(db, stored.MovementId);
        return new ConsumeForOutputResponse { Movement = movement, BomVersion = stored.BomVersion };
    }

    private static long Consumption(BomLineSpec spec, int units)
    {
        try
        {
            return StockMath.Consumption(spec, units);
        }
        catch (QuantityOutOfRangeException)
        {
            throw new ValidationException("units", $"make a consumption larger than {StockMath.MaxQuantity} base units", ErrorReasons.ValueOutOfRange);
        }
    }

    public override async Task<Capacity> GetCapacity(GetCapacityRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return await ReadAsync(context, async db =>
        {
            await Access.EnsureCanReadTraineeAsync(caller, db, request.TraineeId);
            new RequestValidator().Id("trainee_id", request.TraineeId).Id("product_id", request.ProductId).ThrowIfInvalid();
            var product = await Queries.ProductAsync(db, request.ProductId) ?? throw new NotFoundException("product", request.ProductId);
            var bom = await CurrentBomAsync(db, product);
            var home = await Queries.HomeAsync(db, request.TraineeId);
            if (home is not null && !Access.CoversLocation(caller, scope, home))
            {
                home = null; // another office's trainee home is answered as a trainee without one
            }
            var onHand = home is null ? [] : await Queries.BalancesAtAsync(db, home.LocationId);
            var capacity = new Capacity { TraineeId = request.TraineeId, ProductId = request.ProductId };
            CapacityLine? limiting = null;
            foreach (var line in bom.Lines)
            {
                var have = onHand.GetValueOrDefault(line.MaterialId);
                var capacityLine = new CapacityLine
                {
                    MaterialId = line.MaterialId,
                    OnHand = have,
                    QuantityPerUnit = line.QuantityPerUnit,
                    UnitsPossible = StockMath.UnitsPossible(have, line.QuantityPerUnit),
                };
                capacity.Lines.Add(capacityLine);
                if (limiting is null || capacityLine.UnitsPossible < limiting.UnitsPossible)
                {
                    limiting = capacityLine;
                }
            }
            capacity.UnitsPossible = limiting?.UnitsPossible ?? 0;
            capacity.LimitingMaterialId = limiting?.MaterialId ?? "";
            return capacity;
        });
    }
}
