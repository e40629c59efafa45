using Bimtek.Materials.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Materials.Tests;

/// <summary>The materials rules as plain functions (<c>Domain/</c>), without a host or a database.</summary>
public sealed class MaterialsRuleTests
{
    private static readonly BomLineSpec _fabric = new("fabric", 320, 100);
    private static readonly BomLineSpec _loop = new("loop", 2, 50);

    [Fact]
    public void A_kit_is_bom_times_quota_plus_waste_rounded_up_per_trainee_in_quota_order()
    {
        var kits = KitSizing.Size([_fabric, _loop], [100, 3]);

        Assert.Equal(2, kits.Count);
        Assert.Equal([new MaterialAmount("fabric", 35_200), new MaterialAmount("loop", 210)], kits[0]);
        // 320 × 3 × 1.1 = 1 056; 2 × 3 × 1.05 = 6.3 → 7.
        Assert.Equal([new MaterialAmount("fabric", 1_056), new MaterialAmount("loop", 7)], kits[1]);
    }

    [Fact]
    public void A_kit_out_of_range_names_its_quota_and_totals_out_of_range_name_none()
    {
        var huge = new BomLineSpec("fabric", StockMath.MaxQuantityPerUnit, 0);
        var tooLarge = Assert.Throws<KitTooLargeException>(() => KitSizing.Size([_loop, huge], [1, 2_000]));
        Assert.Equal(1, tooLarge.QuotaIndex);

        // Each kit is exactly 1e12 base units (in range); the two together are not.
        var atLimit = new BomLineSpec("fabric", StockMath.MaxQuantityPerUnit, 0);
        var totals = Assert.Throws<KitTooLargeException>(() => KitSizing.Size([atLimit], [1_000, 1_000]));
        Assert.Null(totals.QuotaIndex);
    }

    [Fact]
    public void Plan_totals_count_every_kit_and_shortages_only_the_kits_still_to_send_in_code_order()
    {
        var codes = new Dictionary<string, string> { ["m-b"] = "A-FIRST", ["m-a"] = "B-SECOND" };
        var kits = new[]
        {
            new PlannedKit(Dispatched: true, [new MaterialAmount("m-a", 50), new MaterialAmount("m-b", 5)]),
            new PlannedKit(Dispatched: false, [new MaterialAmount("m-a", 30), new MaterialAmount("m-b", 5)]),
        };
        var available = new Dictionary<string, long> { ["m-a"] = 10, ["m-b"] = 5 };

        var result = KitTotals.Of(kits, id => codes[id], available);

        Assert.Equal([new MaterialAmount("m-b", 10), new MaterialAmount("m-a", 80)], result.Totals);
        var shortage = Assert.Single(result.Shortages);
        Assert.Equal(new ShortageLine("m-a", "B-SECOND", 30, 10), shortage);
        Assert.Equal(20, shortage.Shortfall);
    }

    [Fact]
    public void Capacity_is_the_smallest_line_and_the_first_smallest_names_the_limiting_material()
    {
        var onHand = new Dictionary<string, long> { ["fabric"] = 3_200, ["loop"] = 20, ["thread"] = 5_000 };
        var capacity = CapacityRule.Of([_fabric, _loop, new BomLineSpec("thread", 500, 100)], onHand);

        Assert.Equal([10, 10, 10], capacity.Lines.Select(l => l.UnitsPossible));
        Assert.Equal(10, capacity.UnitsPossible);
        Assert.Equal("fabric", capacity.LimitingMaterialId);

        var none = CapacityRule.Of([_fabric, _loop], new Dictionary<string, long> { ["fabric"] = 3_200 });
        Assert.Equal(0, none.UnitsPossible);
        Assert.Equal("loop", none.LimitingMaterialId);
        Assert.Equal(0, none.Lines[1].OnHand);

        var empty = CapacityRule.Of([], onHand);
        Assert.Equal((0, ""), (empty.UnitsPossible, empty.LimitingMaterialId));
    }

    [Fact]
    public void Yield_judges_each_report_by_its_bom_version_and_counts_a_stock_count_loss_as_over_use()
    {
        var home = new HomeMovements(
            Sent: new Dictionary<string, long> { ["fabric"] = 3_520 },
            Consumed: new Dictionary<string, long> { ["fabric"] = -3_200 },
            Returned: new Dictionary<string, long> { ["fabric"] = -100 },
            Adjusted: new Dictionary<string, long> { ["fabric"] = -120 },
            OnHand: new Dictionary<string, long> { ["fabric"] = 100, ["loop"] = 0, ["spare"] = 7 });
        // 5 units by version 1 (320 per unit) and 5 by version 2 (320 per unit, another waste allowance).
        var reports = new[]
        {
            new ReportedUnits(5, [_fabric]),
            new ReportedUnits(5, [new BomLineSpec("fabric", 320, 0)]),
        };

        var yield = YieldRule.Of(home, reports);

        Assert.Equal(10, yield.UnitsReported);
        Assert.Equal(["fabric", "spare"], yield.Lines.Select(l => l.MaterialId));
        var fabric = yield.Lines[0];
        Assert.Equal((3_520L, 3_200L, 100L, -120L, 100L), (fabric.Sent, fabric.Consumed, fabric.Returned, fabric.Adjusted, fabric.OnHand));
        Assert.Equal(3_200, fabric.ExpectedByBom);
        // 5 × 320 × 1.1 + 5 × 320 = 1 760 + 1 600.
        Assert.Equal(3_360, fabric.AllowedWithWaste);
        // Gone: 3 200 consumed + 120 lost = 3 320 ≤ 3 360.
        Assert.False(fabric.OverAllowance);

        var lossier = home with { Adjusted = new Dictionary<string, long> { ["fabric"] = -161 } };
        Assert.True(YieldRule.Of(lossier, reports).Lines[0].OverAllowance);
        Assert.True(YieldRule.Of(lossier, reports).OverAllowance);
    }

    [Fact]
    public void Allowed_use_rounds_up_to_whole_base_units()
    {
        var yield = YieldRule.Of(
            new HomeMovements(new Dictionary<string, long>(), new Dictionary<string, long>(), new Dictionary<string, long>(),
                new Dictionary<string, long>(), new Dictionary<string, long>()),
            [new ReportedUnits(3, [_loop])]);

        // 2 × 3 × 1.05 = 6.3 → 7; expected 6, nothing consumed.
        var loop = Assert.Single(yield.Lines);
        Assert.Equal((6L, 7L, false), (loop.ExpectedByBom, loop.AllowedWithWaste, loop.OverAllowance));
    }

    [Fact]
    public void Stock_leaves_a_home_only_by_return_and_kits_and_receipts_start_elsewhere()
    {
        LocationRules.EnsureKitSource(isTraineeHome: false);
        LocationRules.EnsureReceiptDestination(isTraineeHome: false);
        LocationRules.EnsureTransferSource(isTraineeHome: false);
        LocationRules.EnsureReturn(fromTraineeHome: true, toTraineeHome: false);

        AssertRefused("source_location_id", () => LocationRules.EnsureKitSource(isTraineeHome: true));
        AssertRefused("location_id", () => LocationRules.EnsureReceiptDestination(isTraineeHome: true));
        AssertRefused("from_location_id", () => LocationRules.EnsureTransferSource(isTraineeHome: true));
        AssertRefused("from_location_id", () => LocationRules.EnsureReturn(fromTraineeHome: false, toTraineeHome: false));
        AssertRefused("to_location_id", () => LocationRules.EnsureReturn(fromTraineeHome: true, toTraineeHome: true));
    }

    private static void AssertRefused(string field, Action check)
    {
        var refused = Assert.Throws<PreconditionException>(check);
        Assert.Equal(Reasons.WrongLocationKind, refused.Reason);
        Assert.Equal(field, refused.Metadata["field"]);
    }
}
