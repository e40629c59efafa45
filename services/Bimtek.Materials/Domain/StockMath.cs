namespace Bimtek.Materials.Domain;

/// <summary>One line of a bill of materials: base units of a material per unit made, and the waste allowance.</summary>
public sealed record BomLineSpec(string MaterialId, long QuantityPerUnit, int WastePerMille);

/// <summary>
/// The integer arithmetic of stock: kit sizes, consumption, capacity and yield allowances. Every
/// product is exact (Int128 inside, range-checked out): no floating point anywhere in stock.
/// </summary>
public static class StockMath
{
    /// <summary>Upper bound of any single quantity, in base units (the contract's 1e12).</summary>
    public const long MaxQuantity = 1_000_000_000_000;

    /// <summary>Upper bound of a BOM line's quantity per unit.</summary>
    public const long MaxQuantityPerUnit = 1_000_000_000;

    public const int MaxUnits = 100_000;

    /// <summary>
    /// A trainee's kit for one BOM line: quantity_per_unit × quota × (1000 + waste) / 1000,
    /// rounded up, so a kit never falls short by a fraction of a base unit.
    /// </summary>
    public static long KitQuantity(BomLineSpec line, int quota) =>
        CeilDivide((Int128)line.QuantityPerUnit * quota * (1000 + line.WastePerMille), 1000);

    /// <summary>What units made consume (no waste: waste is an allowance, not a charge).</summary>
    public static long Consumption(BomLineSpec line, int units) => Checked((Int128)line.QuantityPerUnit * units);

    /// <summary>What the BOM allows to be gone from a home for units made, waste included, rounded up.</summary>
    public static Int128 AllowedWithWaste(long quantityPerUnit, int wastePerMille, long units) =>
        (Int128)quantityPerUnit * units * (1000 + wastePerMille);

    /// <summary>Whole units a balance allows for one BOM line (capped at int.MaxValue).</summary>
    public static int UnitsPossible(long onHand, long quantityPerUnit) =>
        quantityPerUnit <= 0 ? 0 : (int)Math.Min(int.MaxValue, onHand / quantityPerUnit);

    public static long CeilDivide(Int128 value, long divisor) => Checked((value + divisor - 1) / divisor);

    /// <summary>Sum that refuses to leave the range of a stock quantity.</summary>
    public static long Add(long a, long b) => Checked((Int128)a + b);

    public static bool InRange(Int128 value) => value >= 0 && value <= MaxQuantity;

    private static long Checked(Int128 value) =>
        InRange(value) ? (long)value : throw new QuantityOutOfRangeException();
}

/// <summary>A computed quantity left the range a stock quantity may take.</summary>
public sealed class QuantityOutOfRangeException()
    : Exception($"A computed quantity exceeds {StockMath.MaxQuantity} base units.");
