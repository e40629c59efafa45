using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public const int MaxTrainees = 10_000;

    public override Task<KitPlan> PlanKits(PlanKitsRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Id("product_id", request.ProductId)
            .Id("source_location_id", request.SourceLocationId)
            .When(request.Quotas.Count is 0 or > MaxTrainees, "quotas", $"must have 1–{MaxTrainees} entries");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Quotas.Count && i < MaxTrainees; i++)
        {
            var quota = request.Quotas[i];
            validator.Id($"quotas[{i}].trainee_id", quota.TraineeId)
                .Positive($"quotas[{i}].quota", quota.Quota, StockMath.MaxUnits)
                .Optional($"quotas[{i}].trainee_subject", quota.TraineeSubject, 200)
                .When(!seen.Add(quota.TraineeId), $"quotas[{i}].trainee_id", "names a trainee already planned on another entry");
        }
        validator.ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            var product = await Queries.ProductAsync(db, request.ProductId) ?? throw new NotFoundException("product", request.ProductId);
            var bom = await CurrentBomAsync(db, product);
            var source = await RequireLocationAsync(db, caller, request.SourceLocationId);
            if (source.Kind == (int)LocationKind.TraineeHome)
            {
                throw WrongKind("source_location_id", "Kits are sent from a warehouse or office.");
            }
            var specs = Queries.Specs(bom);
            var plan = new KitPlanRow
            {
                KitPlanId = Guid.NewGuid().ToString(),
                ProgrammeId = request.ProgrammeId,
                ProductId = product.ProductId,
                BomVersion = bom.Version,
                SourceLocationId = source.LocationId,
                CreatedAt = Now(),
            };
            await session.ExecuteAsync(
                "INSERT INTO kit_plans (kit_plan_id, programme_id, product_id, bom_version, source_location_id, created_at) " +
                "VALUES (@KitPlanId, @ProgrammeId, @ProductId, @BomVersion, @SourceLocationId, @CreatedAt)",
                plan);
            var totals = new Dictionary<string, long>();
            for (var i = 0; i < request.Quotas.Count; i++)
            {
                var quota = request.Quotas[i];
                await session.ExecuteAsync(
                    "INSERT INTO kit_plan_kits (kit_plan_id, trainee_id, position, quota, trainee_subject, status, home_location_id, movement_id) " +
                    "VALUES (@kitPlanId, @traineeId, @position, @quota, @subject, @status, '', '')",
                    new { kitPlanId = plan.KitPlanId, traineeId = quota.TraineeId, position = i, quota = quota.Quota, subject = quota.TraineeSubject, status = (int)KitStatus.Planned });
                foreach (var spec in specs)
                {
                    var quantity = KitQuantity(spec, quota.Quota, $"quotas[{i}].quota");
                    totals[spec.MaterialId] = Sum(totals.GetValueOrDefault(spec.MaterialId), quantity);
                    await session.ExecuteAsync(
                        "INSERT INTO kit_plan_lines (kit_plan_id, trainee_id, material_id, quantity) VALUES (@kitPlanId, @traineeId, @materialId, @quantity)",
                        new { kitPlanId = plan.KitPlanId, traineeId = quota.TraineeId, materialId = spec.MaterialId, quantity });
                }
            }
            return await Queries.KitPlanAsync(db, plan);
        }, context.CancellationToken);
    }

    public override async Task<KitPlan> GetKitPlan(GetKitPlanRequest request, ServerCallContext context)
    {
        var caller = Access.StaffReader(context.GetCaller());
        new RequestValidator().Id("kit_plan_id", request.KitPlanId).ThrowIfInvalid();
        return await ReadAsync(context, async db =>
        {
            var plan = await Queries.KitPlanRowAsync(db, request.KitPlanId);
            // Another office's plan is answered as an unknown one.
            if (plan is null || !await offices.CoversAsync(caller, plan.ProgrammeId, context.CancellationToken))
            {
                throw new NotFoundException("kit_plan", request.KitPlanId);
            }
            return await Queries.KitPlanAsync(db, plan);
        });
    }

    public override Task<KitPlan> DispatchKitPlan(DispatchKitPlanRequest request, ServerCallContext context)
    {
        var caller = Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId)
            .Id("kit_plan_id", request.KitPlanId)
            .When(request.TraineeIds.Count > MaxTrainees, "trainee_ids", $"must have at most {MaxTrainees} entries");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.TraineeIds.Count && i < MaxTrainees; i++)
        {
            validator.Id($"trainee_ids[{i}]", request.TraineeIds[i])
                .When(!seen.Add(request.TraineeIds[i]), $"trainee_ids[{i}]", "is named twice");
        }
        validator.ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            // The plan row serialises dispatches of one plan, so no kit is sent twice.
            var plan = await Queries.KitPlanRowAsync(db, request.KitPlanId, session.Dialect.ForUpdate);
            if (plan is null || !await offices.CoversAsync(caller, plan.ProgrammeId, context.CancellationToken))
            {
                throw new NotFoundException("kit_plan", request.KitPlanId);
            }
            var kits = (await db.QueryAsync<KitRow>(
                "SELECT trainee_id AS TraineeId, position AS Position, quota AS Quota, trainee_subject AS TraineeSubject, status AS Status " +
                "FROM kit_plan_kits WHERE kit_plan_id = @KitPlanId ORDER BY position", new { plan.KitPlanId })).ToList();
            var byTrainee = kits.ToDictionary(k => k.TraineeId);
            for (var i = 0; i < request.TraineeIds.Count; i++)
            {
                if (!byTrainee.ContainsKey(request.TraineeIds[i]))
                {
                    throw new ValidationException($"trainee_ids[{i}]", "names a trainee without a kit in this plan");
                }
            }
            var selected = kits
                .Where(k => k.Status == (int)KitStatus.Planned && (request.TraineeIds.Count == 0 || seen.Contains(k.TraineeId)))
                .ToList();
            if (selected.Count == 0)
            {
                return await Queries.KitPlanAsync(db, plan);
            }

            var now = Now();
            var homes = new Dictionary<string, string>();
            // A new home is the office of the programme whose kit reaches it first (empty: the default office's).
            var homeOffice = await programmeOffices.OfficeOfAsync(plan.ProgrammeId, context.CancellationToken) ?? "";
            // Homes in trainee order, so concurrent dispatches creating the same homes meet in one order.
            foreach (var kit in selected.OrderBy(k => k.TraineeId, StringComparer.Ordinal))
            {
                homes[kit.TraineeId] = await EnsureHomeAsync(session, db, kit, homeOffice, now);
            }
            var lines = (await db.QueryAsync<KitLineRow>(
                "SELECT trainee_id AS TraineeId, material_id AS MaterialId, quantity AS Quantity FROM kit_plan_lines WHERE kit_plan_id = @KitPlanId",
                new { plan.KitPlanId })).Where(l => homes.ContainsKey(l.TraineeId)).ToLookup(l => l.TraineeId);

            var keys = lines.SelectMany(g => g).SelectMany(l => new[]
            {
                (plan.SourceLocationId, l.MaterialId),
                (homes[l.TraineeId], l.MaterialId),
            });
            var posting = await StockPosting.LockAsync(session, now, keys);
            await posting.EnsureAvailableAsync(plan.SourceLocationId, lines.SelectMany(g => g).Select(l => (l.MaterialId, l.Quantity)));
            var product = await Queries.ProductAsync(db, plan.ProductId);
            foreach (var kit in selected)
            {
                var header = new MovementHeader(MovementKind.KitDispatch, plan.SourceLocationId, homes[kit.TraineeId], caller.Subject,
                    ProgrammeId: plan.ProgrammeId, TraineeId: kit.TraineeId, KitPlanId: plan.KitPlanId);
                var movement = await posting.PostAsync(header, lines[kit.TraineeId]
                    .OrderBy(l => l.MaterialId, StringComparer.Ordinal)
                    .Select(l => new MovementLine(l.MaterialId, l.Quantity)).ToList());
                await session.ExecuteAsync(
                    "UPDATE kit_plan_kits SET status = @status, home_location_id = @home, movement_id = @movementId " +
                    "WHERE kit_plan_id = @kitPlanId AND trainee_id = @traineeId",
                    new { status = (int)KitStatus.Dispatched, home = homes[kit.TraineeId], movementId = movement.MovementId, kitPlanId = plan.KitPlanId, traineeId = kit.TraineeId });
                await kitNotifications.KitDispatchedAsync(session, movement.MovementId, plan.ProgrammeId, kit.TraineeId, product?.Name ?? "");
            }
            return await Queries.KitPlanAsync(db, plan);
        }, context.CancellationToken);
    }

    /// <summary>
    /// The trainee's home location, created on the first kit sent there (the unique trainee_id decides) as a location of
    /// <paramref name="office"/>; an existing home keeps its office.
    /// </summary>
    private static async Task<string> EnsureHomeAsync(Bimtek.Data.Persistence.DbSession session, Db db, KitRow kit, string office, long now)
    {
        await session.ExecuteAsync(
            "INSERT INTO locations (location_id, kind, name, district, trainee_id, trainee_subject, created_at, office) " +
            "VALUES (@locationId, @kind, @name, '', @traineeId, @subject, @now, @office) " +
            "ON CONFLICT (trainee_id) DO UPDATE SET trainee_subject = CASE WHEN locations.trainee_subject = '' " +
            "THEN excluded.trainee_subject ELSE locations.trainee_subject END",
            new
            {
                locationId = Guid.NewGuid().ToString(),
                kind = (int)LocationKind.TraineeHome,
                name = $"Rumah peserta {kit.TraineeId}",
                traineeId = kit.TraineeId,
                subject = kit.TraineeSubject,
                now,
                office,
            });
        var home = await Queries.HomeAsync(db, kit.TraineeId);
        return home!.LocationId;
    }

    private static async Task<BomVersion> CurrentBomAsync(Db db, ProductRow product)
    {
        if (product.CurrentBomVersion > 0 && await Queries.BomVersionAsync(db, product.ProductId, product.CurrentBomVersion) is { } bom)
        {
            return bom;
        }
        throw new PreconditionException(Reasons.NoBillOfMaterials, $"Product {product.Code} has no bill of materials yet.");
    }

    private static long KitQuantity(BomLineSpec spec, int quota, string field)
    {
        try
        {
            return StockMath.KitQuantity(spec, quota);
        }
        catch (QuantityOutOfRangeException)
        {
            throw new ValidationException(field, $"makes a kit larger than {StockMath.MaxQuantity} base units", ErrorReasons.ValueOutOfRange);
        }
    }

    private static long Sum(long a, long b)
    {
        try
        {
            return StockMath.Add(a, b);
        }
        catch (QuantityOutOfRangeException)
        {
            throw new ValidationException("quotas", $"make kit totals larger than {StockMath.MaxQuantity} base units", ErrorReasons.ValueOutOfRange);
        }
    }
}
