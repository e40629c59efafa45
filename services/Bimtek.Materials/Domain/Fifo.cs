namespace Bimtek.Materials.Domain;

/// <summary>What one lot holds at one location, in FIFO order (oldest receipt first).</summary>
public sealed record LotHolding(string LotId, long Quantity);

/// <summary>A part of a withdrawal taken from one lot.</summary>
public sealed record LotPiece(string LotId, long Quantity);

/// <summary>
/// First-in first-out: a withdrawal takes the oldest lots first, so every consumption names the
/// province delivery (lot) its material came from.
/// </summary>
public static class Fifo
{
    /// <summary>Splits <paramref name="quantity"/> over the holdings, oldest first; null when they hold too little.</summary>
    public static IReadOnlyList<LotPiece>? Allocate(IEnumerable<LotHolding> holdingsInFifoOrder, long quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var pieces = new List<LotPiece>();
        var remaining = quantity;
        foreach (var holding in holdingsInFifoOrder)
        {
            if (remaining == 0)
            {
                break;
            }
            if (holding.Quantity <= 0)
            {
                continue;
            }
            var take = Math.Min(holding.Quantity, remaining);
            pieces.Add(new LotPiece(holding.LotId, take));
            remaining -= take;
        }
        return remaining == 0 ? pieces : null;
    }
}
