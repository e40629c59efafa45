namespace Bimtek.Materials.Domain;

/// <summary>A quantity of one material, in its base units.</summary>
public sealed record MaterialAmount(string MaterialId, long Quantity);

/// <summary>A planned kit grew past the range of a stock quantity: one trainee's kit (its quota's index) or the plan's totals (null).</summary>
public sealed class KitTooLargeException(int? quotaIndex) : Exception("A kit or the plan's totals exceed the range of a stock quantity.")
{
    /// <summary>The quota whose kit is too large; null when every kit fits but their totals do not.</summary>
    public int? QuotaIndex { get; } = quotaIndex;
}

/// <summary>
/// Kit sizes: each trainee's kit has one line per BOM line, BOM × quota × (1 + waste), rounded up
/// (<see cref="StockMath.KitQuantity"/>); neither a kit line nor the plan's total of a material may leave the
/// range of a stock quantity.
/// </summary>
public static class KitSizing
{
    /// <summary>The kit of each quota, in the quotas' order; <see cref="KitTooLargeException"/> at the first quota or total out of range.</summary>
    public static IReadOnlyList<IReadOnlyList<MaterialAmount>> Size(IReadOnlyList<BomLineSpec> bom, IReadOnlyList<int> quotas)
    {
        var totals = new Dictionary<string, long>();
        var kits = new List<IReadOnlyList<MaterialAmount>>(quotas.Count);
        for (var i = 0; i < quotas.Count; i++)
        {
            var kit = new List<MaterialAmount>(bom.Count);
            foreach (var line in bom)
            {
                long quantity;
                try
                {
                    quantity = StockMath.KitQuantity(line, quotas[i]);
                    kit.Add(new MaterialAmount(line.MaterialId, quantity));
                }
                catch (QuantityOutOfRangeException)
                {
                    throw new KitTooLargeException(i);
                }
                try
                {
                    totals[line.MaterialId] = StockMath.Add(totals.GetValueOrDefault(line.MaterialId), quantity);
                }
                catch (QuantityOutOfRangeException)
                {
                    throw new KitTooLargeException(null);
                }
            }
            kits.Add(kit);
        }
        return kits;
    }
}

/// <summary>One kit of a plan as the totals see it: whether it left the source, and its lines.</summary>
public sealed record PlannedKit(bool Dispatched, IReadOnlyList<MaterialAmount> Lines);

/// <summary>A plan's totals per material (every kit) and its shortages at the source (kits not yet dispatched).</summary>
public sealed record KitPlanTotals(IReadOnlyList<MaterialAmount> Totals, IReadOnlyList<ShortageLine> Shortages);

/// <summary>
/// What a plan adds up to: the total of each material over all its kits, and for the kits still to be sent, each
/// material the source holds less of than they need (a shortage names what is needed and what is there). Both in
/// material-code order.
/// </summary>
public static class KitTotals
{
    public static KitPlanTotals Of(IEnumerable<PlannedKit> kits, Func<string, string> codeOf, IReadOnlyDictionary<string, long> availableAtSource)
    {
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var pending = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var kit in kits)
        {
            foreach (var line in kit.Lines)
            {
                totals[line.MaterialId] = totals.GetValueOrDefault(line.MaterialId) + line.Quantity;
                if (!kit.Dispatched)
                {
                    pending[line.MaterialId] = pending.GetValueOrDefault(line.MaterialId) + line.Quantity;
                }
            }
        }
        var shortages = new List<ShortageLine>();
        foreach (var (materialId, required) in pending.OrderBy(t => codeOf(t.Key), StringComparer.Ordinal))
        {
            var have = availableAtSource.GetValueOrDefault(materialId);
            if (have < required)
            {
                shortages.Add(new ShortageLine(materialId, codeOf(materialId), required, have));
            }
        }
        return new KitPlanTotals(
            totals.OrderBy(t => codeOf(t.Key), StringComparer.Ordinal).Select(t => new MaterialAmount(t.Key, t.Value)).ToList(),
            shortages);
    }
}
