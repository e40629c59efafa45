using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Distribution.Domain;

/// <summary>A handover's state; the numbers are those of the proto's HandoverStatus and of <c>handovers.status</c>.</summary>
public enum HandoverState
{
    Issued = 1,
    Confirmed = 2,
    Cancelled = 3,
}

/// <summary>
/// The handover lifecycle: issued → confirmed (the recipient says it arrived) or issued → cancelled. A confirmed
/// handover cannot be cancelled (HANDOVER_CONFIRMED); a cancelled one cannot be cancelled again, confirmed or passed on
/// (HANDOVER_CANCELLED); confirming a confirmed one again changes nothing; a handover whose goods the recipient already
/// passed on cannot be cancelled (GOODS_ALREADY_PASSED_ON). Each refusal is FAILED_PRECONDITION naming the document.
/// </summary>
public static class HandoverLifecycle
{
    /// <summary>Throws unless an issued handover is being cancelled.</summary>
    public static HandoverState Cancel(string documentNumber, HandoverState current) => current switch
    {
        HandoverState.Confirmed => throw new PreconditionException(Reasons.HandoverConfirmed,
            $"Handover {documentNumber} was confirmed received and cannot be cancelled."),
        HandoverState.Cancelled => throw new PreconditionException(Reasons.HandoverCancelled, $"Handover {documentNumber} is already cancelled."),
        _ => HandoverState.Cancelled,
    };

    /// <summary>
    /// Cancelling gives the goods back to the programme and takes them back from the recipient: refused when the recipient
    /// already passed on goods of this handover, or holds fewer of them than the handover gave.
    /// </summary>
    public static void EnsureTakenBack(string documentNumber, bool takenBack)
    {
        if (!takenBack)
        {
            throw new PreconditionException(Reasons.GoodsPassedOn,
                $"Handover {documentNumber} cannot be cancelled: the recipient has already passed on goods it would take back.");
        }
    }

    /// <summary>Whether confirming changes the handover: true for an issued one, false for one already confirmed; a cancelled one is refused.</summary>
    public static bool NeedsConfirming(string documentNumber, HandoverState current) => current switch
    {
        HandoverState.Cancelled => throw new PreconditionException(Reasons.HandoverCancelled,
            $"Handover {documentNumber} was cancelled and cannot be confirmed."),
        HandoverState.Confirmed => false,
        _ => true,
    };

    /// <summary>Goods are passed on from an issued or confirmed handover, never from a cancelled one.</summary>
    public static void EnsureMayPassOn(string documentNumber, HandoverState current)
    {
        if (current == HandoverState.Cancelled)
        {
            throw new PreconditionException(Reasons.HandoverCancelled, $"Handover {documentNumber} was cancelled; nothing from it can be passed on.");
        }
    }
}
