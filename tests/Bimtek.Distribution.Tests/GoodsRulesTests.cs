using Bimtek.Distribution.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Distribution.Tests;

/// <summary>
/// The quantity bounds' refusals (Domain/GoodsBounds.cs), what an onward delivery may say (Domain/OnwardDeliveryRules.cs),
/// the programme flow's figures (Domain/GoodsFlow.cs) and a recipient's users (Domain/RecipientUsers.cs), without a host.
/// </summary>
public sealed class GoodsRulesTests
{
    private static readonly DateOnly _handoverDay = new(2020, 5, 12);

    [Fact]
    public void Not_enough_goods_names_the_programmes_product_and_carries_the_units()
    {
        var refused = GoodsBounds.NotEnoughGoods("p-1", "MASK", requested: 600, available: 500);
        Assert.Equal(Reasons.NotEnoughGoods, refused.Reason);
        Assert.Equal("Only 500 units of MASK from programme p-1 are available; 600 were requested.", refused.Message);
        Assert.Equal("programmes/p-1/products/MASK", refused.Violations.Single().Subject);
        Assert.Equal("500", refused.Metadata["available_units"]);
        Assert.Equal("600", refused.Metadata["requested_units"]);
    }

    [Fact]
    public void More_than_received_names_its_source_and_carries_the_units()
    {
        var refused = GoodsBounds.MoreThanReceived(requested: 30, held: 20, "handovers/h-1", "handover 001/BAST");
        Assert.Equal(Reasons.MoreThanReceived, refused.Reason);
        Assert.Equal("Only 20 units received from handover 001/BAST have not been passed on yet; 30 were requested.", refused.Message);
        Assert.Equal("handovers/h-1", refused.Violations.Single().Subject);
        Assert.Equal("20", refused.Metadata["held_units"]);
        Assert.Equal("30", refused.Metadata["requested_units"]);
    }

    [Fact]
    public void From_a_handover_only_its_own_programme_and_product_and_no_earlier_day()
    {
        OnwardDeliveryRules.EnsureMatchesHandover("", "", _handoverDay, "p-1", "MASK", _handoverDay);
        OnwardDeliveryRules.EnsureMatchesHandover("p-1", "MASK", _handoverDay.AddDays(3), "p-1", "MASK", _handoverDay);

        var refused = Assert.Throws<ValidationException>(() =>
            OnwardDeliveryRules.EnsureMatchesHandover("p-2", "GOWN", _handoverDay.AddDays(-1), "p-1", "MASK", _handoverDay));
        Assert.Equal(["programme_id", "product_code", "day"], refused.Violations.Select(v => v.Field));
        Assert.Equal("must not be before the handover day 2020-05-12", refused.Violations.Single(v => v.Field == "day").Description);
    }

    [Fact]
    public void From_the_holding_no_day_before_the_first_handover_of_the_goods()
    {
        OnwardDeliveryRules.EnsureNotBeforeFirstHandover(_handoverDay, _handoverDay);
        OnwardDeliveryRules.EnsureNotBeforeFirstHandover(_handoverDay.AddDays(-30), null);

        var refused = Assert.Throws<ValidationException>(() => OnwardDeliveryRules.EnsureNotBeforeFirstHandover(_handoverDay.AddDays(-1), _handoverDay));
        var violation = refused.Violations.Single();
        Assert.Equal("day", violation.Field);
        Assert.Equal("must not be before the first handover of the goods (2020-05-12)", violation.Description);
    }

    [Fact]
    public void The_flow_has_one_line_per_product_in_code_order_with_what_is_left_available()
    {
        var lines = GoodsFlow.PerProduct(
            [("MASK", 500, 300), ("GOWN", 60, 0), ("APRON", 10, 10)],
            [("MASK", 200), ("APRON", 10)],
            [("MASK", 150, 75)]);

        Assert.Equal(["APRON", "GOWN", "MASK"], lines.Select(l => l.ProductCode));
        Assert.Equal(new ProductFlowFigures("MASK", 500, 300, 200, 150, 75), lines[2]);
        Assert.Equal(200, lines[2].Available);
        Assert.Equal(new ProductFlowFigures("GOWN", 60, 0, 0, 0, 0), lines[1]);
        Assert.Equal(60, lines[1].Available);
        Assert.Equal(0, lines[0].Available);
    }

    [Fact]
    public void The_flow_keeps_every_product_and_its_figures_for_random_goods()
    {
        var random = new Random(20201205);
        for (var round = 0; round < 200; round++)
        {
            var goods = Enumerable.Range(0, random.Next(0, 6))
                .Select(i => (ProductCode: $"P{random.Next(0, 1000):D3}-{i}", Received: (long)random.Next(0, 10_000)))
                .Select(g => (g.ProductCode, g.Received, HandedOver: (long)random.Next(0, (int)g.Received + 1)))
                .ToList();
            var confirmed = goods.Where(_ => random.Next(2) == 0).Select(g => (g.ProductCode, Units: (long)random.Next(0, (int)g.HandedOver + 1))).ToList();
            var onward = goods.Where(_ => random.Next(2) == 0).Select(g => (g.ProductCode, Units: (long)random.Next(0, (int)g.HandedOver + 1), Households: (long)random.Next(0, 50))).ToList();

            var lines = GoodsFlow.PerProduct(goods, confirmed, onward);

            Assert.Equal(goods.Select(g => g.ProductCode).Order(StringComparer.Ordinal), lines.Select(l => l.ProductCode));
            foreach (var line in lines)
            {
                var g = goods.Single(x => x.ProductCode == line.ProductCode);
                Assert.Equal(g.Received - g.HandedOver, line.Available);
                Assert.Equal(line.Accepted, line.Available + line.HandedOver);
                Assert.Equal(confirmed.Where(c => c.ProductCode == g.ProductCode).Sum(c => c.Units), line.Confirmed);
                Assert.Equal(onward.Where(o => o.ProductCode == g.ProductCode).Sum(o => o.Units), line.DeliveredOnward);
                Assert.Equal(onward.Where(o => o.ProductCode == g.ProductCode).Sum(o => o.Households), line.Households);
            }
        }
    }

    [Fact]
    public void A_recipients_users_are_named_once_trimmed_in_ordinal_order()
    {
        Assert.Equal(["Bpbd-2", "bpbd-1", "bpbd-3"], RecipientUsers.Normalise([" bpbd-3", "bpbd-1 ", "Bpbd-2", "bpbd-1", "bpbd-3"]));
        Assert.Empty(RecipientUsers.Normalise([]));
    }
}
