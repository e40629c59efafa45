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

/// <summary>A stored kit plan with what it adds up to (<see cref="KitTotals"/>), as GetKitPlan, PlanKits and DispatchKitPlan answer it.</summary>
internal sealed record KitPlanView(StoredKitPlan Stored, KitPlanTotals Totals);

/// <summary>
/// Kit plans: PlanKits sizes each trainee's kit from the product's current BOM (<see cref="KitSizing"/>) and stores
/// the plan; DispatchKitPlan sends the still-planned kits (all, or the named trainees') from the plan's source to each
/// trainee's home (created on the first kit), one movement per kit, all or nothing, and tells each trainee
/// (<see cref="KitNotifications"/>). The plan row's lock serialises one plan's dispatches, so no kit leaves twice.
/// Another office's plan is answered as an unknown one. The idempotency executor stores the answer for replays, so
/// the handler gives the mapping that makes it from the plan as stored.
/// </summary>
internal sealed class KitPlanning(
    IdempotentExecutor idempotency, TimeProvider clock, ProgrammeOfficeCheck offices, OfficeScope scope, IProgrammeOffices programmeOffices,
    KitNotifications notifications, TraineeSubjects traineeSubjects)
{
    public async Task<TResponse> PlanAsync<TResponse>(Caller caller, PlanKitsRequest request, Func<KitPlanView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        // Asked before the transaction, so no remote call holds it open.
        var subjects = await traineeSubjects.OfAsync(request.ProgrammeId, request.Quotas, cancellationToken);
        return await idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var product = await Lookups.RequireProductAsync(session, request.ProductId);
            var bom = await Lookups.RequireCurrentBomAsync(session, product);
            var source = await Lookups.RequireLocationAsync(session, caller, scope, request.SourceLocationId);
            LocationRules.EnsureKitSource(source.IsTraineeHome);
            var sizes = Size(bom, request.Quotas.Select(q => q.Quota).ToList());
            var plan = new KitPlanRow
            {
                KitPlanId = Guid.NewGuid().ToString(),
                ProgrammeId = request.ProgrammeId,
                ProductId = product.ProductId,
                BomVersion = bom.Version,
                SourceLocationId = source.LocationId,
                CreatedAt = clock.NowMs(),
            };
            await KitStore.InsertPlanAsync(session, plan);
            for (var i = 0; i < request.Quotas.Count; i++)
            {
                var quota = request.Quotas[i];
                var subject = quota.TraineeSubject.Length > 0 ? quota.TraineeSubject : subjects.GetValueOrDefault(quota.TraineeId, "");
                await KitStore.InsertKitAsync(session, plan.KitPlanId, i, quota.TraineeId, quota.Quota, subject,
                    sizes[i].Select(l => (l.MaterialId, l.Quantity)));
            }
            return respond(await LoadAsync(session, plan));
        }, cancellationToken);
    }

    /// <summary>The plan as of now; NOT_FOUND for an unknown plan or another office's.</summary>
    public async Task<KitPlanView> GetAsync(DbSession db, Caller caller, string kitPlanId, CancellationToken cancellationToken)
    {
        var plan = await KitStore.PlanAsync(db, kitPlanId);
        if (plan is null || !await offices.CoversAsync(caller, plan.ProgrammeId, cancellationToken))
        {
            throw new NotFoundException("kit_plan", kitPlanId);
        }
        return await LoadAsync(db, plan);
    }

    public Task<TResponse> DispatchAsync<TResponse>(Caller caller, DispatchKitPlanRequest request, Func<KitPlanView, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            // The plan row serialises dispatches of one plan, so no kit is sent twice.
            var plan = await KitStore.PlanAsync(session, request.KitPlanId, session.ForUpdate);
            if (plan is null || !await offices.CoversAsync(caller, plan.ProgrammeId, cancellationToken))
            {
                throw new NotFoundException("kit_plan", request.KitPlanId);
            }
            var kits = await KitStore.KitsAsync(session, plan.KitPlanId);
            var planned = kits.Select(k => k.TraineeId).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < request.TraineeIds.Count; i++)
            {
                if (!planned.Contains(request.TraineeIds[i]))
                {
                    throw new ValidationException($"trainee_ids[{i}]", "names a trainee without a kit in this plan");
                }
            }
            // The kits still planned: every one, or those of the named trainees.
            var named = request.TraineeIds.ToHashSet(StringComparer.Ordinal);
            var selected = kits.Where(k => k.Status == (int)KitStatus.Planned && (named.Count == 0 || named.Contains(k.TraineeId))).ToList();
            if (selected.Count == 0)
            {
                return respond(await LoadAsync(session, plan));
            }

            var now = clock.NowMs();
            var homes = new Dictionary<string, string>();
            // A new home belongs to the office of the programme whose kit reaches it first (empty: the default office).
            var homeOffice = await programmeOffices.OfficeOfAsync(plan.ProgrammeId, cancellationToken) ?? "";
            // Homes in trainee order, so concurrent dispatches creating the same homes meet in one order.
            foreach (var kit in selected.OrderBy(k => k.TraineeId, StringComparer.Ordinal))
            {
                homes[kit.TraineeId] = await LocationStore.EnsureHomeAsync(session, kit.TraineeId, kit.TraineeSubject, homeOffice, now);
            }
            var lines = (await KitStore.LinesAsync(session, plan.KitPlanId)).Where(l => homes.ContainsKey(l.TraineeId)).ToLookup(l => l.TraineeId);
            var keys = lines.SelectMany(g => g).SelectMany(l => new[]
            {
                (plan.SourceLocationId, l.MaterialId),
                (homes[l.TraineeId], l.MaterialId),
            });
            var posting = await StockPosting.LockAsync(session, now, keys);
            await posting.EnsureAvailableAsync(plan.SourceLocationId, lines.SelectMany(g => g).Select(l => (l.MaterialId, l.Quantity)));
            var product = await Queries.ProductAsync(session, plan.ProductId);
            foreach (var kit in selected)
            {
                var header = new MovementHeader(MovementKind.KitDispatch, plan.SourceLocationId, homes[kit.TraineeId], caller.Subject,
                    ProgrammeId: plan.ProgrammeId, TraineeId: kit.TraineeId, KitPlanId: plan.KitPlanId);
                var movement = await posting.PostAsync(header, lines[kit.TraineeId]
                    .OrderBy(l => l.MaterialId, StringComparer.Ordinal)
                    .Select(l => new MovementLine(l.MaterialId, l.Quantity)).ToList(), OrderedIds.Next(clock));
                await KitStore.MarkDispatchedAsync(session, plan.KitPlanId, kit.TraineeId, homes[kit.TraineeId], movement.Row.MovementId);
                await notifications.KitDispatchedAsync(session, movement.Row.MovementId, plan.ProgrammeId, kit.TraineeId, product?.Name ?? "");
            }
            return respond(await LoadAsync(session, plan));
        }, cancellationToken);

    private static async Task<KitPlanView> LoadAsync(DbSession db, KitPlanRow plan)
    {
        var stored = await KitStore.LoadAsync(db, plan);
        var kits = stored.Kits.Select(k => new PlannedKit(
            k.Status == (int)KitStatus.Dispatched,
            stored.LinesByTrainee[k.TraineeId].Select(l => new MaterialAmount(l.MaterialId, l.Quantity)).ToList()));
        return new KitPlanView(stored, KitTotals.Of(kits, stored.CodeOf, stored.SourceBalances));
    }

    /// <summary>Each quota's kit; a kit or total out of range is the request's fault (INVALID_ARGUMENT, VALUE_OUT_OF_RANGE).</summary>
    private static IReadOnlyList<IReadOnlyList<MaterialAmount>> Size(StoredBom bom, IReadOnlyList<int> quotas)
    {
        try
        {
            return KitSizing.Size(bom.Specs(), quotas);
        }
        catch (KitTooLargeException e) when (e.QuotaIndex is { } i)
        {
            throw new ValidationException($"quotas[{i}].quota", $"makes a kit larger than {StockMath.MaxQuantity} base units", ErrorReasons.ValueOutOfRange);
        }
        catch (KitTooLargeException)
        {
            throw new ValidationException("quotas", $"make kit totals larger than {StockMath.MaxQuantity} base units", ErrorReasons.ValueOutOfRange);
        }
    }
}
