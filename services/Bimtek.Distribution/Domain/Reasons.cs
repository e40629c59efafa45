namespace Bimtek.Distribution.Domain;

/// <summary>Every reason code this service answers with (<c>ErrorInfo.reason</c>) besides the suite's common ones.</summary>
public static class Reasons
{
    /// <summary>A handover asks for more finished goods than the programme has available.</summary>
    public const string NotEnoughGoods = "NOT_ENOUGH_GOODS";

    /// <summary>The handover is already confirmed (it can no longer be cancelled).</summary>
    public const string HandoverConfirmed = "HANDOVER_CONFIRMED";

    /// <summary>The handover was cancelled: it cannot be confirmed, nor its goods passed on.</summary>
    public const string HandoverCancelled = "HANDOVER_CANCELLED";

    /// <summary>Goods of the handover were already passed on, so it cannot be cancelled.</summary>
    public const string GoodsPassedOn = "GOODS_ALREADY_PASSED_ON";

    /// <summary>An onward delivery passes on more than the recipient received.</summary>
    public const string MoreThanReceived = "MORE_THAN_RECEIVED";
}
