using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using Google.Rpc;
using Grpc.Core;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

public sealed class OnwardDeliveryTests
{
    [Theory, BothDatabases]
    public async Task A_recipient_never_passes_on_more_than_it_received_even_concurrently(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-onward");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 500);
        var bpbd = await harness.CreateBpbdAsync("bpbd-user");
        await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 100));
        var bpbdUser = harness.RecipientUser("bpbd-user");

        var first = await bpbdUser.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 60));
        Assert.Equal("bpbd-user", first.RecordedBy);
        var tooMuch = await FailsAsync(StatusCode.FailedPrecondition, () => bpbdUser.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 41)).ResponseAsync);
        Assert.Equal("MORE_THAN_RECEIVED", Reason(tooMuch));
        Assert.Equal("40", tooMuch.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Metadata["held_units"]);

        // Rounds of two concurrent deliveries that together exceed what is held: exactly one wins each time.
        for (var round = 0; round < 4; round++)
        {
            // 70 held at the start of every round: 40 + 30 in the first, 0 + 70 afterwards.
            await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, round == 0 ? 30 : 70));
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                try
                {
                    await bpbdUser.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 40));
                    return StatusCode.OK;
                }
                catch (RpcException error)
                {
                    return error.StatusCode;
                }
            }));
            Assert.Equal([StatusCode.OK, StatusCode.FailedPrecondition], results.Order());
            // 40 went, 30 remain: pass them on too.
            await bpbdUser.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 30));
        }

        var report = await harness.Integrator.GetRecipientReportAsync(new GetRecipientReportRequest { RecipientId = bpbd.RecipientId });
        var row = Assert.Single(report.Rows);
        Assert.Equal((340, 340, 0), (row.ReceivedUnits, row.DeliveredOnwardUnits, row.HeldUnits));
        var listed = await harness.Integrator.ListOnwardDeliveriesAsync(new ListOnwardDeliveriesRequest { RecipientId = bpbd.RecipientId, PageSize = 200 });
        Assert.Equal(340, listed.OnwardDeliveries.Sum(d => d.Units));
    }

    [Theory, BothDatabases]
    public async Task Deliveries_against_a_handover_are_bounded_by_that_handover_and_block_its_cancellation(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-onward-handover");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 500);
        var bpbd = await harness.CreateBpbdAsync("bpbd-user");
        var small = await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 20));
        var big = await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 300));
        var bpbdUser = harness.RecipientUser("bpbd-user");
        var fromSmall = new RecordOnwardDeliveryRequest
        {
            RequestId = NewId(),
            RecipientId = bpbd.RecipientId,
            HandoverId = small.HandoverId,
            Place = "Posyandu Melati",
            Day = new Google.Type.Date { Year = 2020, Month = 5, Day = 30 },
            Units = 21,
        };

        var error = await FailsAsync(StatusCode.FailedPrecondition, () => bpbdUser.RecordOnwardDeliveryAsync(fromSmall).ResponseAsync);
        Assert.Equal("20", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Metadata["held_units"]);
        fromSmall.RequestId = NewId();
        fromSmall.Units = 20;
        var delivered = await bpbdUser.RecordOnwardDeliveryAsync(fromSmall);
        Assert.Equal((programme, MaskProduct, small.HandoverId), (delivered.ProgrammeId, delivered.ProductCode, delivered.HandoverId));

        var cancel = await FailsAsync(StatusCode.FailedPrecondition, () => harness.Operator.CancelHandoverAsync(
            new CancelHandoverRequest { RequestId = NewId(), HandoverId = small.HandoverId, Reason = "x" }).ResponseAsync);
        Assert.Equal("GOODS_ALREADY_PASSED_ON", Reason(cancel));
        // 300 remain held from the big handover, passed on without naming it: cancelling it now would take back passed-on goods.
        await bpbdUser.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 290));
        Assert.Equal("GOODS_ALREADY_PASSED_ON", Reason(await FailsAsync(StatusCode.FailedPrecondition, () => harness.Operator.CancelHandoverAsync(
            new CancelHandoverRequest { RequestId = NewId(), HandoverId = big.HandoverId, Reason = "x" }).ResponseAsync)));
        var early = Onward(bpbd.RecipientId, programme, 1);
        early.Day = new Google.Type.Date { Year = 2020, Month = 5, Day = 27 };
        Assert.Contains("day", Fields(await FailsAsync(StatusCode.InvalidArgument, () => bpbdUser.RecordOnwardDeliveryAsync(early).ResponseAsync)));
    }

    [Fact]
    public async Task Only_the_recipients_own_users_or_operators_record_its_onward_deliveries()
    {
        await using var harness = await StartAsync(DatabaseKind.Sqlite, "dist-onward-access");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 100);
        var bpbd = await harness.CreateBpbdAsync("bpbd-user");
        var village = await harness.CreateRecipientAsync("Kantor Desa Sungai Karias", RecipientKind.VillageOffice, "village-user");
        await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 100));

        await FailsAsync(StatusCode.PermissionDenied, () => harness.RecipientUser("village-user").RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 1)).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => harness.RecipientUser("village-user").RecordOnwardDeliveryAsync(Onward(NewId(), programme, 1)).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => harness.Integrator.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 1)).ResponseAsync);
        await FailsAsync(StatusCode.NotFound, () => harness.Operator.RecordOnwardDeliveryAsync(Onward(NewId(), programme, 1)).ResponseAsync);
        Assert.Equal("MORE_THAN_RECEIVED", Reason(await FailsAsync(StatusCode.FailedPrecondition,
            () => harness.RecipientUser("village-user").RecordOnwardDeliveryAsync(Onward(village.RecipientId, programme, 1)).ResponseAsync)));

        await harness.Operator.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 10));
        await harness.RecipientUser("bpbd-user").RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 10));

        Assert.Empty((await harness.RecipientUser("village-user").ListOnwardDeliveriesAsync(new ListOnwardDeliveriesRequest())).OnwardDeliveries);
        Assert.Equal(2, (await harness.RecipientUser("bpbd-user").ListOnwardDeliveriesAsync(new ListOnwardDeliveriesRequest())).OnwardDeliveries.Count);
        var bad = new RecordOnwardDeliveryRequest { RequestId = NewId(), RecipientId = bpbd.RecipientId, Units = -1, Households = -1 };
        Assert.Equal(new HashSet<string> { "programme_id", "product_code", "place", "day", "units", "households" },
            Fields(await FailsAsync(StatusCode.InvalidArgument, () => harness.Operator.RecordOnwardDeliveryAsync(bad).ResponseAsync)));
    }
}
