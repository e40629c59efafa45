namespace Bimtek.Materials.Domain;

/// <summary>What one BOM line allows: the home's balance of its material and the whole units it covers.</summary>
public sealed record MaterialCapacity(string MaterialId, long OnHand, long QuantityPerUnit, int UnitsPossible);

/// <summary>The units a home's stock allows of a product, and the material that limits them ("" without BOM lines).</summary>
public sealed record ProductCapacity(IReadOnlyList<MaterialCapacity> Lines, int UnitsPossible, string LimitingMaterialId);

/// <summary>
/// Capacity: each BOM line allows on-hand ÷ quantity per unit whole units (no waste: waste is an allowance); the
/// product's capacity is the smallest of them, and its line (the first in BOM order on a tie) names the limiting material.
/// </summary>
public static class CapacityRule
{
    public static ProductCapacity Of(IEnumerable<BomLineSpec> bomInOrder, IReadOnlyDictionary<string, long> onHand)
    {
        var lines = new List<MaterialCapacity>();
        MaterialCapacity? limiting = null;
        foreach (var line in bomInOrder)
        {
            var have = onHand.GetValueOrDefault(line.MaterialId);
            var capacity = new MaterialCapacity(line.MaterialId, have, line.QuantityPerUnit, StockMath.UnitsPossible(have, line.QuantityPerUnit));
            lines.Add(capacity);
            if (limiting is null || capacity.UnitsPossible < limiting.UnitsPossible)
            {
                limiting = capacity;
            }
        }
        return new ProductCapacity(lines, limiting?.UnitsPossible ?? 0, limiting?.MaterialId ?? "");
    }
}
