using Bimtek.Audit;

namespace Bimtek.Faults.Tests;

/// <summary>
/// The audit's second invariant (<see cref="SuiteInvariants.Goods"/>) on figures made by hand: accepted units in
/// production = goods received by distribution (one receipt per accepting inspection) = its finished goods' received
/// units; handed-over units = the handovers not cancelled, per product and per recipient. No suite needed.
/// </summary>
public sealed class GoodsInvariantTests
{
    private const string Mask = "MASK-SASIRANGAN-3L";
    private static readonly DateTimeOffset _now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _stuckAfter = TimeSpan.FromMinutes(15);

    /// <summary>The seed's masks: 500 accepted in two inspections, all received, 500 handed over to BPBD (one handover cancelled and redone).</summary>
    private static GoodsFigures Agreeing() => new(
        "p1",
        [new AcceptedInspection("i1", Mask, 300, _now.AddHours(-2)), new AcceptedInspection("i2", Mask, 200, _now.AddHours(-1))],
        [new GoodsReceipt("r1", "i1", Mask, 300), new GoodsReceipt("r2", "i2", Mask, 200)],
        [new FinishedGoods(Mask, 500, 500)],
        [new HandoverUnits("h1", "001/BAST/2020", Mask, "bpbd", 500, 3), new HandoverUnits("h2", "002/BAST/2020", Mask, "bpbd", 500, 2)],
        [new RecipientHolding("bpbd", Mask, 500)]);

    [Fact]
    public void Agreeing_figures_have_no_problem() =>
        Assert.Empty(SuiteInvariants.Goods(Agreeing(), _now, _stuckAfter));

    [Fact]
    public void An_acceptance_distribution_never_received_is_lost_only_once_it_is_older_than_the_stuck_window()
    {
        var recent = Agreeing() with
        {
            Receipts = [new GoodsReceipt("r1", "i1", Mask, 300)],
            FinishedGoods = [new FinishedGoods(Mask, 300, 300)],
            Handovers = [new HandoverUnits("h1", "001/BAST/2020", Mask, "bpbd", 300, 1)],
            Holdings = [new RecipientHolding("bpbd", Mask, 300)],
        };
        Assert.Empty(SuiteInvariants.Goods(recent, _now.AddMinutes(-50), _stuckAfter));
        var problem = Assert.Single(SuiteInvariants.Goods(recent, _now, _stuckAfter));
        Assert.Contains("inspection i2 accepted 200 units", problem);
        Assert.Contains("LOST", problem);
    }

    [Fact]
    public void A_second_receipt_for_one_inspection_is_double_counted_and_breaks_the_finished_goods_sum()
    {
        var figures = Agreeing() with { Receipts = [.. Agreeing().Receipts, new GoodsReceipt("r3", "i2", Mask, 200)] };
        var problems = SuiteInvariants.Goods(figures, _now, _stuckAfter);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("inspection i2") && p.Contains("2 times, 400 units") && p.Contains("DOUBLE-COUNTED"));
        Assert.Contains(problems, p => p.Contains("finished goods count 500 units received but its goods receipts sum to 700"));
    }

    [Fact]
    public void A_receipt_for_an_inspection_production_does_not_hold_is_named()
    {
        var figures = Agreeing() with
        {
            Receipts = [.. Agreeing().Receipts, new GoodsReceipt("r9", "i9", Mask, 5)],
            FinishedGoods = [new FinishedGoods(Mask, 505, 500)],
        };
        var problem = Assert.Single(SuiteInvariants.Goods(figures, _now, _stuckAfter));
        Assert.Contains("receipt r9", problem);
        Assert.Contains("inspection i9, which accepted no units in production", problem);
    }

    [Fact]
    public void A_handover_written_behind_the_finished_goods_back_is_named_by_its_document_number()
    {
        var planted = new HandoverUnits("h9", "PLANTED/9", Mask, "bpbd", 7, 1);
        var figures = Agreeing() with { Handovers = [.. Agreeing().Handovers, planted] };
        var problems = SuiteInvariants.Goods(figures, _now, _stuckAfter);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("finished goods count 500 units handed over but its handovers not cancelled sum to 507") && p.Contains("PLANTED/9 (h9) 7"));
        Assert.Contains(problems, p => p.Contains("507 units handed over, more than the 500 units distribution received"));
        Assert.Contains(problems, p => p.Contains("recipient bpbd holds 500 units received but its handovers not cancelled sum to 507") && p.Contains("PLANTED/9"));
    }

    [Fact]
    public void A_cancelled_handover_counts_for_nothing_and_a_receipt_of_the_wrong_units_is_named()
    {
        var figures = Agreeing() with
        {
            Receipts = [new GoodsReceipt("r1", "i1", Mask, 299), new GoodsReceipt("r2", "i2", Mask, 200)],
            FinishedGoods = [new FinishedGoods(Mask, 499, 499)],
            Handovers = [new HandoverUnits("h1", "001/BAST/2020", Mask, "bpbd", 499, 2), new HandoverUnits("h2", "002/BAST/2020", Mask, "bpbd", 10, 3)],
            Holdings = [new RecipientHolding("bpbd", Mask, 499)],
        };
        var problem = Assert.Single(SuiteInvariants.Goods(figures, _now, _stuckAfter));
        Assert.Contains("inspection i1 accepted 300 units", problem);
        Assert.Contains("1 times, 299 units", problem);
        Assert.DoesNotContain("DOUBLE", problem);
    }
}
