namespace Bimtek.Distribution.Domain;

/// <summary>One product's figures in a programme's flow report; available is what was accepted and not handed over.</summary>
public sealed record ProductFlowFigures(string ProductCode, long Accepted, long HandedOver, long Confirmed, long DeliveredOnward, long Households)
{
    public long Available => GoodsBounds.Left(Accepted, HandedOver);
}

/// <summary>
/// A programme's goods flow, product by product: accepted from production → handed over to recipients → confirmed by
/// them → passed on to households. One line per product the programme has finished goods of, in ordinal order of the
/// product code; a product nobody confirmed or passed on counts 0 there. (Production's accepted-goods effect carries no
/// produced figure, so the report says it is unknown rather than 0.)
/// </summary>
public static class GoodsFlow
{
    public static List<ProductFlowFigures> PerProduct(
        IEnumerable<(string ProductCode, long Received, long HandedOver)> goods,
        IEnumerable<(string ProductCode, long Units)> confirmed,
        IEnumerable<(string ProductCode, long Units, long Households)> onward)
    {
        var confirmedUnits = confirmed.ToLookup(c => c.ProductCode, c => c.Units, StringComparer.Ordinal);
        var passedOn = onward.ToLookup(o => o.ProductCode, StringComparer.Ordinal);
        return [.. goods.OrderBy(g => g.ProductCode, StringComparer.Ordinal).Select(g => new ProductFlowFigures(
            g.ProductCode, g.Received, g.HandedOver,
            confirmedUnits[g.ProductCode].FirstOrDefault(),
            passedOn[g.ProductCode].Select(o => o.Units).FirstOrDefault(),
            passedOn[g.ProductCode].Select(o => o.Households).FirstOrDefault()))];
    }
}
