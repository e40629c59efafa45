using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

public sealed class FinishedGoodsTests
{
    [Theory, BothDatabases]
    public async Task An_accepted_goods_message_delivered_three_times_at_once_and_again_after_a_restart_counts_once(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-goods-replay");
        var programme = NewId();
        var message = Accepted(programme, 100);

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => harness.Service.ReceiveAcceptedGoodsAsync(message).ResponseAsync));
        await harness.RestartAsync();
        await harness.Service.ReceiveAcceptedGoodsAsync(message);

        Assert.All(answers, a => Assert.Equal(message.RequestId, a.RequestId));
        var goods = await harness.GoodsAsync(programme);
        Assert.Equal((100, 0, 100), (goods!.ReceivedUnits, goods.HandedOverUnits, goods.AvailableUnits));
        // A different message adds; the same id with a different payload is refused.
        await harness.ReceiveAsync(programme, 25);
        Assert.Equal(125, (await harness.GoodsAsync(programme))!.ReceivedUnits);
        message.Units = 101;
        Assert.Equal("REQUEST_ID_REUSED", Reason(await FailsAsync(StatusCode.InvalidArgument,
            () => harness.Service.ReceiveAcceptedGoodsAsync(message).ResponseAsync)));
    }

    [Fact]
    public async Task Only_services_and_operators_feed_goods_and_bad_messages_are_refused_field_by_field()
    {
        await using var harness = await StartAsync(DatabaseKind.Sqlite, "dist-goods-input");
        var message = Accepted(NewId(), 10);

        await FailsAsync(StatusCode.PermissionDenied, () => harness.InternalAs(TestTokens.Mint("integrator-1", Roles.Integrator)).ReceiveAcceptedGoodsAsync(message).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => harness.InternalAs(TestTokens.Mint("x", Roles.Recipient)).ReceiveAcceptedGoodsAsync(message).ResponseAsync);
        var bad = new ReceiveAcceptedGoodsRequest { RequestId = "nope", ProgrammeId = "p", Units = 0 };
        var error = await FailsAsync(StatusCode.InvalidArgument, () => harness.Service.ReceiveAcceptedGoodsAsync(bad).ResponseAsync);

        Assert.Equal(
            new HashSet<string> { "request_id", "inspection_id", "programme_id", "trainee_id", "product_code", "units", "accepted_at" },
            Fields(error));
        Assert.Empty((await harness.Integrator.ListFinishedGoodsAsync(new ListFinishedGoodsRequest())).FinishedGoods);
    }

    [Fact]
    public async Task Finished_goods_list_filters_and_pages()
    {
        await using var harness = await StartAsync(DatabaseKind.Sqlite, "dist-goods-list");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 5, "A");
        await harness.ReceiveAsync(programme, 5, "B");
        await harness.ReceiveAsync(programme, 5, "C");
        var bpbd = await harness.CreateBpbdAsync();
        await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 5, "B"));

        var first = await harness.Integrator.ListFinishedGoodsAsync(new ListFinishedGoodsRequest { ProgrammeId = programme, PageSize = 2 });
        var second = await harness.Integrator.ListFinishedGoodsAsync(new ListFinishedGoodsRequest { ProgrammeId = programme, PageSize = 2, PageToken = first.NextPageToken });
        var available = await harness.Integrator.ListFinishedGoodsAsync(new ListFinishedGoodsRequest { ProgrammeId = programme, AvailableOnly = true });

        Assert.Equal(["A", "B", "C"], first.FinishedGoods.Concat(second.FinishedGoods).Select(g => g.ProductCode));
        Assert.Equal("", second.NextPageToken);
        Assert.Equal(["A", "C"], available.FinishedGoods.Select(g => g.ProductCode));
        var error = await FailsAsync(StatusCode.InvalidArgument,
            () => harness.Integrator.ListFinishedGoodsAsync(new ListFinishedGoodsRequest { PageSize = 201, PageToken = "garbage" }).ResponseAsync);
        Assert.Equal(new HashSet<string> { "page_size", "page_token" }, Fields(error));
    }
}
