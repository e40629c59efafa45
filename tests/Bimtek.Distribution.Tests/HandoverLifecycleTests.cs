using Bimtek.Distribution.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Distribution.Tests;

/// <summary>Issued → confirmed or cancelled, and what each state refuses (Domain/HandoverLifecycle.cs), without a host.</summary>
public sealed class HandoverLifecycleTests
{
    private const string Number = "001/BAST/DISPERINDAGKOP-HSU/V/2020";

    [Fact]
    public void Only_an_issued_handover_is_cancelled()
    {
        Assert.Equal(HandoverState.Cancelled, HandoverLifecycle.Cancel(Number, HandoverState.Issued));

        var confirmed = Assert.Throws<PreconditionException>(() => HandoverLifecycle.Cancel(Number, HandoverState.Confirmed));
        Assert.Equal(Reasons.HandoverConfirmed, confirmed.Reason);
        Assert.Equal($"Handover {Number} was confirmed received and cannot be cancelled.", confirmed.Message);

        var cancelled = Assert.Throws<PreconditionException>(() => HandoverLifecycle.Cancel(Number, HandoverState.Cancelled));
        Assert.Equal(Reasons.HandoverCancelled, cancelled.Reason);
        Assert.Equal($"Handover {Number} is already cancelled.", cancelled.Message);
    }

    [Fact]
    public void A_handover_whose_goods_were_passed_on_is_not_cancelled()
    {
        HandoverLifecycle.EnsureTakenBack(Number, takenBack: true);
        var refused = Assert.Throws<PreconditionException>(() => HandoverLifecycle.EnsureTakenBack(Number, takenBack: false));
        Assert.Equal(Reasons.GoodsPassedOn, refused.Reason);
        Assert.Contains(Number, refused.Message);
    }

    [Fact]
    public void Confirming_changes_an_issued_handover_answers_a_confirmed_one_as_it_is_and_refuses_a_cancelled_one()
    {
        Assert.True(HandoverLifecycle.NeedsConfirming(Number, HandoverState.Issued));
        Assert.False(HandoverLifecycle.NeedsConfirming(Number, HandoverState.Confirmed));
        var refused = Assert.Throws<PreconditionException>(() => HandoverLifecycle.NeedsConfirming(Number, HandoverState.Cancelled));
        Assert.Equal(Reasons.HandoverCancelled, refused.Reason);
        Assert.Equal($"Handover {Number} was cancelled and cannot be confirmed.", refused.Message);
    }

    [Fact]
    public void Nothing_is_passed_on_from_a_cancelled_handover()
    {
        HandoverLifecycle.EnsureMayPassOn(Number, HandoverState.Issued);
        HandoverLifecycle.EnsureMayPassOn(Number, HandoverState.Confirmed);
        var refused = Assert.Throws<PreconditionException>(() => HandoverLifecycle.EnsureMayPassOn(Number, HandoverState.Cancelled));
        Assert.Equal(Reasons.HandoverCancelled, refused.Reason);
    }

    [Fact]
    public void The_states_are_the_contracts_statuses()
    {
        Assert.Equal((int)V1.HandoverStatus.Issued, (int)HandoverState.Issued);
        Assert.Equal((int)V1.HandoverStatus.Confirmed, (int)HandoverState.Confirmed);
        Assert.Equal((int)V1.HandoverStatus.Cancelled, (int)HandoverState.Cancelled);
    }
}
