using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using Google.Rpc;
using Grpc.Core;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

public sealed class HandoverTests
{
    [Theory, BothDatabases]
    public async Task The_mask_programmes_500_masks_go_to_BPBD_in_one_handover_with_its_document_number(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-masks");
        var programme = NewId();
        // Five trainees, 100 accepted masks each.
        for (var trainee = 0; trainee < 5; trainee++)
        {
            await harness.ReceiveAsync(programme, 100);
        }
        var bpbd = await harness.CreateBpbdAsync();

        var handover = await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 500));

        Assert.Equal("001/BAST/DISPERINDAGKOP-HSU/V/2020", handover.DocumentNumber);
        Assert.Equal(500, handover.Units);
        Assert.Equal(HandoverStatus.Issued, handover.Status);
        Assert.Equal("BPBD Kabupaten Hulu Sungai Utara", handover.RecipientName);
        var goods = await harness.GoodsAsync(programme);
        Assert.Equal((500, 500, 0), (goods!.ReceivedUnits, goods.HandedOverUnits, goods.AvailableUnits));
        Assert.Equal(handover, await harness.Integrator.GetHandoverAsync(new GetHandoverRequest { HandoverId = handover.HandoverId }));
    }

    [Theory, BothDatabases]
    public async Task Two_concurrent_handovers_that_together_exceed_what_is_available_never_both_succeed(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-oversell");
        var bpbd = await harness.CreateBpbdAsync();
        for (var round = 0; round < 10; round++)
        {
            var programme = NewId();
            await harness.ReceiveAsync(programme, 500);

            var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                try
                {
                    return (Handover: await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 300)), Error: (RpcException?)null);
                }
                catch (RpcException error)
                {
                    return (Handover: (Handover?)null, Error: error);
                }
            }));

            Assert.Single(attempts, a => a.Handover is not null);
            var refused = Assert.Single(attempts, a => a.Error is not null).Error!;
            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
            Assert.Equal("NOT_ENOUGH_GOODS", Reason(refused));
            Assert.Equal("200", refused.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Metadata["available_units"]);
            var goods = await harness.GoodsAsync(programme);
            Assert.Equal((300, 200), (goods!.HandedOverUnits, goods.AvailableUnits));
        }
    }

    [Theory, BothDatabases]
    public async Task Concurrent_handovers_take_every_document_number_exactly_once_without_gaps(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-numbers");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 20);
        var bpbd = await harness.CreateBpbdAsync();

        // 25 one-unit handovers race for 20 units: the 5 refused ones must not burn numbers.
        var results = await Task.WhenAll(Enumerable.Range(0, 25).Select(async _ =>
        {
            try
            {
                return (await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 1))).DocumentNumber;
            }
            catch (RpcException error) when (error.StatusCode == StatusCode.FailedPrecondition)
            {
                return null;
            }
        }));

        var numbers = results.OfType<string>().ToList();
        Assert.Equal(20, numbers.Count);
        Assert.Equal(
            Enumerable.Range(1, 20).Select(n => $"{n:000}/BAST/DISPERINDAGKOP-HSU/V/2020").Order(StringComparer.Ordinal),
            numbers.Order(StringComparer.Ordinal));
        // The next year starts again at 001.
        await harness.ReceiveAsync(programme, 1);
        var nextYear = Handover(programme, bpbd.RecipientId, 1);
        nextYear.Day = new Google.Type.Date { Year = 2021, Month = 1, Day = 4 };
        Assert.Equal("001/BAST/DISPERINDAGKOP-HSU/I/2021", (await harness.Operator.CreateHandoverAsync(nextYear)).DocumentNumber);
    }

    [Fact]
    public async Task A_handover_of_more_than_is_available_is_failed_precondition_with_the_available_count()
    {
        await using var harness = await StartAsync(DatabaseKind.Sqlite, "dist-short");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 60, "APD-SET");
        var puskesmas = await harness.CreateRecipientAsync("Puskesmas Amuntai", RecipientKind.HealthCentre);

        var error = await FailsAsync(StatusCode.FailedPrecondition,
            () => harness.Operator.CreateHandoverAsync(Handover(programme, puskesmas.RecipientId, 61, "APD-SET")).ResponseAsync);

        Assert.Equal("NOT_ENOUGH_GOODS", Reason(error));
        Assert.Equal("60", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Metadata["available_units"]);
        Assert.Contains("60", Assert.Single(error.GetRpcStatus()!.GetDetail<PreconditionFailure>()!.Violations).Description);
        // Nothing half-written: the full 60 still go in one handover, numbered 001.
        var handover = await harness.Operator.CreateHandoverAsync(Handover(programme, puskesmas.RecipientId, 60, "APD-SET"));
        Assert.StartsWith("001/", handover.DocumentNumber);
        var unknownProduct = await FailsAsync(StatusCode.FailedPrecondition,
            () => harness.Operator.CreateHandoverAsync(Handover(programme, puskesmas.RecipientId, 1, "NOTHING")).ResponseAsync);
        Assert.Equal("0", unknownProduct.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Metadata["available_units"]);
        await FailsAsync(StatusCode.NotFound,
            () => harness.Operator.CreateHandoverAsync(Handover(programme, NewId(), 1, "APD-SET")).ResponseAsync);
    }

    [Theory, BothDatabases]
    public async Task Cancelling_returns_the_units_keeps_the_number_used_and_a_confirmed_handover_cannot_be_cancelled(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-cancel");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 500);
        var bpbd = await harness.CreateBpbdAsync("bpbd-user");
        var first = await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 400));

        var cancelled = await harness.Operator.CancelHandoverAsync(new CancelHandoverRequest
        {
            RequestId = NewId(),
            HandoverId = first.HandoverId,
            Reason = "Salah jumlah",
        });

        Assert.Equal(HandoverStatus.Cancelled, cancelled.Status);
        Assert.Equal("Salah jumlah", cancelled.CancellationReason);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Equal(500, (await harness.GoodsAsync(programme))!.AvailableUnits);
        var second = await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 500));
        Assert.Equal("002/BAST/DISPERINDAGKOP-HSU/V/2020", second.DocumentNumber);
        var again = await FailsAsync(StatusCode.FailedPrecondition, () => harness.Operator.CancelHandoverAsync(new CancelHandoverRequest
        {
            RequestId = NewId(),
            HandoverId = first.HandoverId,
            Reason = "lagi",
        }).ResponseAsync);
        Assert.Equal("HANDOVER_CANCELLED", Reason(again));
        Assert.Equal("HANDOVER_CANCELLED", Reason(await FailsAsync(StatusCode.FailedPrecondition,
            () => harness.Operator.ConfirmHandoverAsync(new ConfirmHandoverRequest { RequestId = NewId(), HandoverId = first.HandoverId }).ResponseAsync)));

        // BPBD's own user confirms receipt; after that the handover cannot be cancelled.
        var confirmed = await harness.RecipientUser("bpbd-user").ConfirmHandoverAsync(new ConfirmHandoverRequest { RequestId = NewId(), HandoverId = second.HandoverId });
        Assert.Equal(HandoverStatus.Confirmed, confirmed.Status);
        Assert.NotNull(confirmed.ConfirmedAt);
        var refused = await FailsAsync(StatusCode.FailedPrecondition, () => harness.Operator.CancelHandoverAsync(new CancelHandoverRequest
        {
            RequestId = NewId(),
            HandoverId = second.HandoverId,
            Reason = "terlambat",
        }).ResponseAsync);
        Assert.Equal("HANDOVER_CONFIRMED", Reason(refused));
        Assert.Equal(0, (await harness.GoodsAsync(programme))!.AvailableUnits);
        var listed = await harness.Operator.ListHandoversAsync(new ListHandoversRequest { ProgrammeId = programme });
        Assert.Equal([second.HandoverId, first.HandoverId], listed.Handovers.Select(h => h.HandoverId));
    }

    [Theory, BothDatabases]
    public async Task A_replayed_handover_returns_the_first_answer_and_takes_nothing_more(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-replay-handover");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 500);
        var bpbd = await harness.CreateBpbdAsync();
        var request = Handover(programme, bpbd.RecipientId, 200);

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => harness.Operator.CreateHandoverAsync(request).ResponseAsync));
        await harness.RestartAsync();
        var afterRestart = await harness.Operator.CreateHandoverAsync(request);

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(answers[0], afterRestart);
        Assert.Equal(300, (await harness.GoodsAsync(programme))!.AvailableUnits);
        request.Units = 201;
        var reused = await FailsAsync(StatusCode.InvalidArgument, () => harness.Operator.CreateHandoverAsync(request).ResponseAsync);
        Assert.Equal("REQUEST_ID_REUSED", Reason(reused));
    }

    [Fact]
    public async Task Only_operators_hand_over_and_a_recipients_user_sees_only_their_agencys_handovers()
    {
        await using var harness = await StartAsync(DatabaseKind.Sqlite, "dist-access");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 100);
        var bpbd = await harness.CreateBpbdAsync("bpbd-user");
        var school = await harness.CreateRecipientAsync("SMA Negeri 1 Amuntai", RecipientKind.School, "school-user");
        var toBpbd = await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 50));
        await harness.Operator.CreateHandoverAsync(Handover(programme, school.RecipientId, 50));

        await FailsAsync(StatusCode.PermissionDenied, () => harness.Integrator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 1)).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => harness.RecipientUser("bpbd-user").CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 1)).ResponseAsync);
        var trainee = harness.Host.Client<DistributionService.DistributionServiceClient>(TestTokens.Mint("t-1", "trainee"));
        await FailsAsync(StatusCode.PermissionDenied, () => trainee.ListHandoversAsync(new ListHandoversRequest()).ResponseAsync);

        var schoolUser = harness.RecipientUser("school-user");
        await FailsAsync(StatusCode.PermissionDenied, () => schoolUser.GetHandoverAsync(new GetHandoverRequest { HandoverId = toBpbd.HandoverId }).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => schoolUser.GetHandoverAsync(new GetHandoverRequest { HandoverId = NewId() }).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => schoolUser.GetHandoverDocumentAsync(new GetHandoverDocumentRequest { HandoverId = toBpbd.HandoverId }).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => schoolUser.ConfirmHandoverAsync(new ConfirmHandoverRequest { RequestId = NewId(), HandoverId = toBpbd.HandoverId }).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => schoolUser.GetRecipientAsync(new GetRecipientRequest { RecipientId = bpbd.RecipientId }).ResponseAsync);
        var seen = await schoolUser.ListHandoversAsync(new ListHandoversRequest());
        Assert.Equal(school.RecipientId, Assert.Single(seen.Handovers).RecipientId);
        Assert.Equal(school.RecipientId, Assert.Single((await schoolUser.ListRecipientsAsync(new ListRecipientsRequest())).Recipients).RecipientId);
        Assert.Equal(2, (await harness.Integrator.ListHandoversAsync(new ListHandoversRequest())).Handovers.Count);
        await FailsAsync(StatusCode.NotFound, () => harness.Operator.GetHandoverAsync(new GetHandoverRequest { HandoverId = NewId() }).ResponseAsync);
    }
}
