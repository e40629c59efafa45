namespace Bimtek.Materials.Domain;

/// <summary>Units a trainee reported made with one BOM version, and that version's lines.</summary>
public sealed record ReportedUnits(long Units, IReadOnlyList<BomLineSpec> Bom);

/// <summary>Signed ledger sums at a trainee's home per material (withdrawals negative), as the yield counts them.</summary>
public sealed record HomeMovements(
    IReadOnlyDictionary<string, long> Sent,
    IReadOnlyDictionary<string, long> Consumed,
    IReadOnlyDictionary<string, long> Returned,
    IReadOnlyDictionary<string, long> Adjusted,
    IReadOnlyDictionary<string, long> OnHand);

/// <summary>One material of a yield; consumed and returned as positive quantities.</summary>
public sealed record MaterialYield(
    string MaterialId, long Sent, long Consumed, long Returned, long Adjusted, long OnHand, long ExpectedByBom, long AllowedWithWaste, bool OverAllowance);

public sealed record YieldFigures(int UnitsReported, IReadOnlyList<MaterialYield> Lines)
{
    public bool OverAllowance => Lines.Any(l => l.OverAllowance);
}

/// <summary>
/// A trainee's yield in a programme. Expected use is BOM × units, allowed use adds each line's waste (rounded up),
/// each report judged by the BOM version it used. Gone from the home = consumed minus net adjustments (= sent −
/// returned − on hand for a home serving one programme), so a stock count's loss shows as over-use too: a material
/// is over allowance when that exceeds the allowed use.
/// </summary>
public static class YieldRule
{
    /// <summary>The lines of every material that moved, was expected or is on hand, in that first-seen order.</summary>
    public static YieldFigures Of(HomeMovements home, IReadOnlyList<ReportedUnits> reports)
    {
        var expected = new Dictionary<string, Int128>();
        var allowed = new Dictionary<string, Int128>();
        foreach (var report in reports)
        {
            foreach (var line in report.Bom)
            {
                expected[line.MaterialId] = expected.GetValueOrDefault(line.MaterialId) + (Int128)line.QuantityPerUnit * report.Units;
                allowed[line.MaterialId] = allowed.GetValueOrDefault(line.MaterialId)
                    + StockMath.AllowedWithWaste(line.QuantityPerUnit, line.WastePerMille, report.Units);
            }
        }
        var materialIds = home.Sent.Keys.Concat(home.Consumed.Keys).Concat(home.Returned.Keys).Concat(home.Adjusted.Keys).Concat(expected.Keys)
            .Concat(home.OnHand.Where(b => b.Value != 0).Select(b => b.Key)).Distinct();
        var lines = new List<MaterialYield>();
        foreach (var materialId in materialIds)
        {
            var consumed = -home.Consumed.GetValueOrDefault(materialId);
            var adjusted = home.Adjusted.GetValueOrDefault(materialId);
            var allowedWithWaste = Clamp((allowed.GetValueOrDefault(materialId) + 999) / 1000);
            lines.Add(new MaterialYield(
                materialId,
                Sent: home.Sent.GetValueOrDefault(materialId),
                Consumed: consumed,
                Returned: -home.Returned.GetValueOrDefault(materialId),
                Adjusted: adjusted,
                OnHand: home.OnHand.GetValueOrDefault(materialId),
                ExpectedByBom: Clamp(expected.GetValueOrDefault(materialId)),
                AllowedWithWaste: allowedWithWaste,
                OverAllowance: consumed - adjusted > allowedWithWaste));
        }
        return new YieldFigures((int)Math.Min(int.MaxValue, reports.Sum(r => r.Units)), lines);
    }

    private static long Clamp(Int128 value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
