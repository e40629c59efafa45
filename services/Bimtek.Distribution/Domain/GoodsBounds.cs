using System.Globalization;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Distribution.Domain;

/// <summary>
/// The two quantity bounds of distribution: never more handed over than a programme's finished goods available
/// (received − handed over), and never more passed on than a recipient received (from one handover, and in all). The
/// stores enforce them with guarded updates on locked rows (<c>Data/GoodsStore.cs</c>, <c>Data/HoldingStore.cs</c>,
/// <c>Data/HandoverStore.cs</c>) backed by CHECKs in the schema; this type says what is left and how a refusal reads:
/// FAILED_PRECONDITION with the units left and asked in its metadata.
/// </summary>
public static class GoodsBounds
{
    /// <summary>Units still to be handed over, or passed on: what came in less what went out.</summary>
    public static long Left(long received, long givenOut) => received - givenOut;

    /// <summary>A handover asked for more than the programme has available (NOT_ENOUGH_GOODS).</summary>
    public static PreconditionException NotEnoughGoods(string programmeId, string productCode, int requested, long available)
    {
        var message = $"Only {available} units of {productCode} from programme {programmeId} are available; {requested} were requested.";
        var error = new PreconditionException(Reasons.NotEnoughGoods, message,
            [new PreconditionViolation(Reasons.NotEnoughGoods, $"programmes/{programmeId}/products/{productCode}", message)]);
        error.Metadata["available_units"] = available.ToString(CultureInfo.InvariantCulture);
        error.Metadata["requested_units"] = requested.ToString(CultureInfo.InvariantCulture);
        return error;
    }

    /// <summary>
    /// An onward delivery asked to pass on more than is held (MORE_THAN_RECEIVED); <paramref name="subject"/> names the
    /// handover or the recipient's holding, <paramref name="source"/> says it in words.
    /// </summary>
    public static PreconditionException MoreThanReceived(int requested, long held, string subject, string source)
    {
        var message = $"Only {held} units received from {source} have not been passed on yet; {requested} were requested.";
        var error = new PreconditionException(Reasons.MoreThanReceived, message, [new PreconditionViolation(Reasons.MoreThanReceived, subject, message)]);
        error.Metadata["held_units"] = held.ToString(CultureInfo.InvariantCulture);
        error.Metadata["requested_units"] = requested.ToString(CultureInfo.InvariantCulture);
        return error;
    }
}
