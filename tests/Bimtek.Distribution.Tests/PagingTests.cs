using Bimtek.Data.Persistence;
using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

/// <summary>Distribution's lists page by keyset in the suite's opaque page token.</summary>
public sealed class PagingTests
{
    [Theory, BothDatabases]
    public async Task Goods_arriving_between_pages_neither_shift_nor_repeat_a_page(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-paging-goods");
        var programme = NewId();
        foreach (var product in new[] { "B", "D", "F", "H" })
        {
            await harness.ReceiveAsync(programme, 5, product);
        }
        Task<ListFinishedGoodsResponse> Page(string token) => harness.Integrator.ListFinishedGoodsAsync(
            new ListFinishedGoodsRequest { ProgrammeId = programme, PageSize = 2, PageToken = token }).ResponseAsync;

        var first = await Page("");
        // Between the pages: A sorts before the reader's position, E after it.
        await harness.ReceiveAsync(programme, 5, "A");
        await harness.ReceiveAsync(programme, 5, "E");
        var seen = first.FinishedGoods.Select(g => g.ProductCode).ToList();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Page(token);
            seen.AddRange(page.FinishedGoods.Select(g => g.ProductCode));
            token = page.NextPageToken;
        }
        // With offsets the second page would have started at D again (A pushed it down one row).
        Assert.Equal(["B", "D", "E", "F", "H"], seen);
    }

    [Theory, BothDatabases]
    public async Task Handovers_made_between_pages_sort_before_the_position_and_the_rest_come_once(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-paging-handovers");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 100);
        var bpbd = await harness.CreateBpbdAsync();
        var original = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            original.Add((await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 1))).HandoverId);
        }
        Task<ListHandoversResponse> Page(string token) => harness.Operator.ListHandoversAsync(
            new ListHandoversRequest { ProgrammeId = programme, PageSize = 2, PageToken = token }).ResponseAsync;

        var first = await Page("");
        await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 1));
        await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 1));
        var seen = first.Handovers.Select(h => h.HandoverId).ToList();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Page(token);
            seen.AddRange(page.Handovers.Select(h => h.HandoverId));
            token = page.NextPageToken;
        }
        // Newest first: the five originals exactly once, in reverse order of creation.
        Assert.Equal(Enumerable.Reverse(original), seen);
    }

    [Theory, BothDatabases]
    public async Task A_tampered_foreign_or_hand_made_token_is_invalid_argument_on_every_list(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-paging-tokens");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 10, "A");
        await harness.ReceiveAsync(programme, 10, "B");
        var goods = await harness.Operator.ListFinishedGoodsAsync(new ListFinishedGoodsRequest { ProgrammeId = programme, PageSize = 1 });
        var real = goods.NextPageToken;
        Assert.NotEqual("", real);
        Assert.Equal("B", (await harness.Operator.ListFinishedGoodsAsync(
            new ListFinishedGoodsRequest { ProgrammeId = programme, PageSize = 1, PageToken = real })).FinishedGoods.Single().ProductCode);

        var tampered = real[..^2] + (real[^2] == 'A' ? "B" : "A") + real[^1];
        var handMade = PageToken.After("distribution.finished-goods", programme);
        var client = harness.Operator;
        var lists = new Dictionary<string, Func<string, Task>>
        {
            ["recipients"] = t => client.ListRecipientsAsync(new ListRecipientsRequest { PageToken = t }).ResponseAsync,
            ["handovers"] = t => client.ListHandoversAsync(new ListHandoversRequest { PageToken = t }).ResponseAsync,
            ["onward deliveries"] = t => client.ListOnwardDeliveriesAsync(new ListOnwardDeliveriesRequest { PageToken = t }).ResponseAsync,
            ["recipient report"] = t => client.GetRecipientReportAsync(new GetRecipientReportRequest { PageToken = t }).ResponseAsync,
        };
        foreach (var (name, list) in lists)
        {
            // A token of the finished goods list is foreign to every other list.
            foreach (var bad in new[] { real, tampered, handMade, "2" })
            {
                var error = await FailsAsync(StatusCode.InvalidArgument, () => list(bad));
                Assert.True(Fields(error).Contains("page_token"), $"{name} did not name page_token");
            }
        }
        foreach (var bad in new[] { tampered, handMade, "2" })
        {
            var error = await FailsAsync(StatusCode.InvalidArgument,
                () => client.ListFinishedGoodsAsync(new ListFinishedGoodsRequest { ProgrammeId = programme, PageToken = bad }).ResponseAsync);
            Assert.Contains("page_token", Fields(error));
        }
    }
}
