using System.Collections.Concurrent;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Materials.Api;
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
/// A report's consumption as ConsumeForOutput answers it: the movement posted for it (none when a replay finds its
/// movement gone) and the BOM version consumed.
/// </summary>
internal sealed record ConsumedOutput(StoredMovement? Movement, int BomVersion);

/// <summary>
/// Consumption for output reports and the capacity a home's stock allows. ConsumeForOutput takes BOM × units of the
/// product's current version from the trainee's home, all or nothing (a shortage names each short material), and is
/// idempotent twice over: on request_id (the executor, which stores the response message the handler's mapping
/// makes from the <see cref="ConsumedOutput"/>) and on report_id (<see cref="ConsumptionStore.TryInsertAsync"/>): the same report with
/// other content is REPORT_ID_REUSED. Six round trips in all, plus the commit (see the README).
/// </summary>
internal sealed class OutputConsumption(IdempotentExecutor idempotency, TimeProvider clock)
{
    /// <summary>
    /// Published BOM versions never change (bom_versions and bom_lines are insert-only, and a material's
    /// code never changes), so a version read once is kept for the life of the process. Only versions
    /// named by a product's committed current_bom_version are read here, so nothing uncommitted is kept.
    /// The product row itself (which version is current) is still read on every call.
    /// </summary>
    private readonly ConcurrentDictionary<(string ProductId, int Version), StoredBom> _publishedBoms = new();

    public Task<TResponse> ConsumeAsync<TResponse>(Caller caller, ConsumeForOutputRequest request, Func<ConsumedOutput, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var hash = RequestFingerprint.Of(request);
            var movementId = OrderedIds.Next(clock);
            var (product, home) = await ConsumptionStore.ProductAndHomeAsync(session, request.ProductId, request.TraineeId);
            if (product is null)
            {
                throw new NotFoundException("product", request.ProductId);
            }
            var bom = await PublishedBomAsync(session, product);
            // Insert-first on the report id: whichever request_id carries a report, the key decides
            // that it is consumed once; a concurrent twin waits here, then replays.
            var record = new ConsumptionRecord(request.ReportId, hash, request.TraineeId, request.ProgrammeId, request.ProductId,
                bom.Version, request.Units, movementId, clock.NowMs());
            if (!await ConsumptionStore.TryInsertAsync(session, record))
            {
                return respond(await ReplayAsync(session, request.ReportId, hash));
            }

            var needs = bom.Specs().Select(spec => (spec.MaterialId, Quantity: Consumption(spec, request.Units))).ToList();
            if (home is null)
            {
                var codes = await StockPosting.MaterialCodesAsync(session, needs.Select(n => n.MaterialId));
                throw ShortageError.Create($"home of trainee {request.TraineeId} (no kit sent yet)", needs
                    .Select(n => new ShortageLine(n.MaterialId, codes.GetValueOrDefault(n.MaterialId, n.MaterialId), n.Quantity, 0))
                    .OrderBy(s => s.MaterialCode, StringComparer.Ordinal).ToList());
            }
            var posting = await StockPosting.LockAsync(session, clock.NowMs(), needs.Select(n => (home.LocationId, n.MaterialId)), lotsAt: home.LocationId);
            await posting.EnsureAvailableAsync(home.LocationId, needs);
            var header = new MovementHeader(MovementKind.Consumption, home.LocationId, "", caller.Subject,
                ProgrammeId: request.ProgrammeId, TraineeId: request.TraineeId, ReportId: request.ReportId,
                Reason: $"{request.Units} x {product.Code} (BOM v{bom.Version})");
            var movement = await posting.PostAsync(header, needs.Select(n => new MovementLine(n.MaterialId, n.Quantity)).ToList(), movementId);
            return respond(new ConsumedOutput(movement, bom.Version));
        }, cancellationToken);

    /// <summary>
    /// The units the trainee's home stock allows of the product's current BOM (none without a home; another office's
    /// trainee home is answered as a trainee without one).
    /// </summary>
    public static async Task<ProductCapacity> CapacityAsync(DbSession db, Caller caller, OfficeScope scope, string traineeId, string productId)
    {
        var product = await Lookups.RequireProductAsync(db, productId);
        var bom = await Lookups.RequireCurrentBomAsync(db, product);
        var home = await Queries.HomeAsync(db, traineeId) is { } found && Access.CoversLocation(caller, scope, found) ? found : null;
        var onHand = home is null ? [] : await Queries.BalancesAtAsync(db, home.LocationId);
        return CapacityRule.Of(bom.Specs(), onHand);
    }

    private async Task<StoredBom> PublishedBomAsync(DbSession db, ProductRow product)
    {
        if (product.CurrentBomVersion > 0 && _publishedBoms.TryGetValue((product.ProductId, product.CurrentBomVersion), out var known))
        {
            return known;
        }
        var bom = await Lookups.RequireCurrentBomAsync(db, product);
        if (_publishedBoms.Count < 10_000)
        {
            _publishedBoms[(product.ProductId, bom.Version)] = bom;
        }
        return bom;
    }

    private static async Task<ConsumedOutput> ReplayAsync(DbSession db, string reportId, string hash)
    {
        var stored = await ConsumptionStore.GetAsync(db, reportId);
        if (stored.RequestHash != hash)
        {
            throw new ValidationException("report_id",
                "was already consumed with a different trainee, programme, product or units", Reasons.ReportIdReused);
        }
        var movement = await MovementStore.FindAsync(db, stored.MovementId);
        return new ConsumedOutput(movement, stored.BomVersion);
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
}
