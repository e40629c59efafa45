using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.Offices;
using Grpc.Core;
using static Bimtek.Distribution.Tests.DistributionHarness;
using static Bimtek.Testing.Offices.OfficeWorld;
using Client = Bimtek.Distribution.V1.DistributionService.DistributionServiceClient;
using InternalClient = Bimtek.Distribution.V1.DistributionInternalService.DistributionInternalServiceClient;

namespace Bimtek.Distribution.Tests;

/// <summary>
/// Offices reach distribution, learnt from the real participants service: an operator of another district can neither
/// see nor change a programme's finished goods, handovers, handover documents, onward deliveries and reports; the
/// district's own operator and the province's can; another office's programme or handover gets the same answer as an
/// id that does not exist.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OfficeTests
{
    [Theory, BothDatabases]
    public async Task Another_districts_operator_is_refused_a_programmes_goods_handovers_and_reports_and_the_province_sees_them(DatabaseKind kind)
    {
        await using var run = await OfficeRun<Program, Client>.StartAsync(kind, "distribution-offices");
        var (ofHsu, ofHst, hsu, hst, province) = run;
        var host = run.Host;
        var producer = host.Client<InternalClient>(TestTokens.Service("production"));

        // Production's relay (every office's) brings accepted goods of both programmes; HSU hands its masks to BPBD.
        await producer.ReceiveAcceptedGoodsAsync(Accepted(ofHsu, 500));
        await producer.ReceiveAcceptedGoodsAsync(Accepted(ofHst, 60));
        var bpbd = await hsu.CreateRecipientAsync(new CreateRecipientRequest
        {
            RequestId = NewId(),
            Kind = RecipientKind.DisasterManagementAgency,
            Name = "BPBD Kabupaten Hulu Sungai Utara",
            District = "Hulu Sungai Utara",
        });
        var handover = await hsu.CreateHandoverAsync(Handover(ofHsu, bpbd.RecipientId, 400));
        await hsu.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, ofHsu, 100));

        // HST: another district's programme named by id is refused, exactly like a programme that does not exist.
        var unknownProgramme = NewId();
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.CreateHandoverAsync(Handover(id, bpbd.RecipientId, 10)).ResponseAsync, ofHsu, unknownProgramme);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.GetProgrammeFlowReportAsync(new GetProgrammeFlowReportRequest { ProgrammeId = id }).ResponseAsync, ofHsu, unknownProgramme);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.ListHandoversAsync(new ListHandoversRequest { ProgrammeId = id }).ResponseAsync, ofHsu, unknownProgramme);
        await AssertSameAnswerAsync(StatusCode.PermissionDenied,
            id => hst.RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, id, 1)).ResponseAsync, ofHsu, unknownProgramme);
        // ...and its handover, found by its own id, is answered as an unknown one (reading, its document, cancelling, confirming).
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.GetHandoverAsync(new GetHandoverRequest { HandoverId = id }).ResponseAsync, handover.HandoverId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound,
            id => hst.GetHandoverDocumentAsync(new GetHandoverDocumentRequest { HandoverId = id }).ResponseAsync, handover.HandoverId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound,
            id => hst.CancelHandoverAsync(new CancelHandoverRequest { RequestId = NewId(), HandoverId = id, Reason = "salah" }).ResponseAsync, handover.HandoverId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound,
            id => hst.ConfirmHandoverAsync(new ConfirmHandoverRequest { RequestId = NewId(), HandoverId = id }).ResponseAsync, handover.HandoverId, NewId());
        // Lists and the recipient report without a programme leave HSU's programme out for HST, and keep HST's own.
        Assert.Empty((await hst.ListHandoversAsync(new ListHandoversRequest())).Handovers);
        Assert.Equal(new[] { ofHst }, (await hst.ListFinishedGoodsAsync(new ListFinishedGoodsRequest())).FinishedGoods.Select(g => g.ProgrammeId));
        Assert.Empty((await hst.ListOnwardDeliveriesAsync(new ListOnwardDeliveriesRequest())).OnwardDeliveries);
        Assert.Empty((await hst.GetRecipientReportAsync(new GetRecipientReportRequest())).Rows);
        var csv = (await hst.GetRecipientReportCsvAsync(new GetRecipientReportRequest())).Data.ToStringUtf8();
        Assert.DoesNotContain(ofHsu, csv, StringComparison.Ordinal);

        // HSU and the province see all of HSU's programme; the province also HST's goods.
        foreach (var reader in new[] { hsu, province })
        {
            Assert.Equal(handover.HandoverId, (await reader.GetHandoverAsync(new GetHandoverRequest { HandoverId = handover.HandoverId })).HandoverId);
            Assert.Equal("application/pdf", (await reader.GetHandoverDocumentAsync(new GetHandoverDocumentRequest { HandoverId = handover.HandoverId })).ContentType);
            Assert.Equal(new[] { handover.HandoverId }, (await reader.ListHandoversAsync(new ListHandoversRequest())).Handovers.Select(h => h.HandoverId));
            Assert.Single((await reader.ListOnwardDeliveriesAsync(new ListOnwardDeliveriesRequest())).OnwardDeliveries);
            Assert.Contains((await reader.GetRecipientReportAsync(new GetRecipientReportRequest())).Rows, r => r.ProgrammeId == ofHsu && r.ReceivedUnits == 400);
            Assert.Equal(100, (await reader.GetProgrammeFlowReportAsync(new GetProgrammeFlowReportRequest { ProgrammeId = ofHsu })).Products.Single().AvailableUnits);
        }
        Assert.Equal(new[] { ofHsu }, (await hsu.ListFinishedGoodsAsync(new ListFinishedGoodsRequest())).FinishedGoods.Select(g => g.ProgrammeId));
        Assert.Equal(new[] { ofHsu, ofHst }.Order(), (await province.ListFinishedGoodsAsync(new ListFinishedGoodsRequest())).FinishedGoods.Select(g => g.ProgrammeId).Order());
        // An operator without an office claim is the default office's (HSU); HSU's handover stayed issued through all of HST's refused attempts.
        var legacy = host.Client<Client>(TestTokens.Operator());
        Assert.Equal(handover.HandoverId, (await legacy.GetHandoverAsync(new GetHandoverRequest { HandoverId = handover.HandoverId })).HandoverId);
        Assert.Equal(HandoverStatus.Issued, (await hsu.GetHandoverAsync(new GetHandoverRequest { HandoverId = handover.HandoverId })).Status);
    }

    [Theory, BothDatabases]
    public async Task Recipients_are_their_offices_and_another_offices_recipient_is_an_unknown_id(DatabaseKind kind)
    {
        await using var run = await OfficeRun<Program, Client>.StartAsync(kind, "distribution-recipients");
        var (ofHsu, ofHst, hsu, hst, province) = run;
        var host = run.Host;
        var relay = host.Client<Client>(TestTokens.Service("production"));
        var producer = host.Client<InternalClient>(TestTokens.Service("production"));
        await producer.ReceiveAcceptedGoodsAsync(Accepted(ofHsu, 500));
        await producer.ReceiveAcceptedGoodsAsync(Accepted(ofHst, 60));

        // A recipient is its creator's office; a province creates one for a district, a district never for another office.
        var bpbdHsu = await hsu.CreateRecipientAsync(NewRecipient("BPBD Kabupaten Hulu Sungai Utara"));
        Assert.Equal(Hsu, bpbdHsu.Office);
        var bpbdHst = await province.CreateRecipientAsync(NewRecipient("BPBD Kabupaten Hulu Sungai Tengah", Hst));
        Assert.Equal(Hst, bpbdHst.Office);
        var dinkes = await province.CreateRecipientAsync(NewRecipient("Dinas Kesehatan Provinsi"));
        Assert.Equal(Province, dinkes.Office);
        await RpcAssertions.FailsAsync(StatusCode.PermissionDenied, hst.CreateRecipientAsync(NewRecipient("X", Hsu)));
        await RpcAssertions.FailsAsync(StatusCode.PermissionDenied, hst.CreateRecipientAsync(NewRecipient("X", Province)));
        var handover = await hsu.CreateHandoverAsync(Handover(ofHsu, bpbdHsu.RecipientId, 100));

        // HST: HSU's recipient is an unknown id, to read, to hand over to and to record onward deliveries for.
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.GetRecipientAsync(new GetRecipientRequest { RecipientId = id }).ResponseAsync, bpbdHsu.RecipientId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.CreateHandoverAsync(Handover(ofHst, id, 10)).ResponseAsync, bpbdHsu.RecipientId, NewId());
        await AssertSameAnswerAsync(StatusCode.NotFound, id => hst.RecordOnwardDeliveryAsync(Onward(id, ofHst, 1)).ResponseAsync, bpbdHsu.RecipientId, NewId());
        // ...and the province's own recipient too; HST hands over to its own.
        await RpcAssertions.FailsAsync(StatusCode.NotFound, hst.GetRecipientAsync(new GetRecipientRequest { RecipientId = dinkes.RecipientId }));
        await hst.CreateHandoverAsync(Handover(ofHst, bpbdHst.RecipientId, 10));

        // Lists hold the caller's office's recipients; the province's its own and its districts'.
        Assert.Equal([bpbdHst.RecipientId], await RecipientIdsAsync(hst));
        Assert.Equal([bpbdHsu.RecipientId], await RecipientIdsAsync(hsu));
        Assert.Equal(new[] { bpbdHsu.RecipientId, bpbdHst.RecipientId, dinkes.RecipientId }.Order(), (await RecipientIdsAsync(province)).Order());
        Assert.Equal(bpbdHsu.RecipientId, (await province.GetRecipientAsync(new GetRecipientRequest { RecipientId = bpbdHsu.RecipientId })).RecipientId);
        // An operator without an office claim is the default office's (HSU); other services' relays see every office's.
        var legacy = host.Client<Client>(TestTokens.Operator());
        Assert.Equal(bpbdHsu.RecipientId, (await legacy.GetRecipientAsync(new GetRecipientRequest { RecipientId = bpbdHsu.RecipientId })).RecipientId);
        Assert.Equal(Hst, (await relay.GetRecipientAsync(new GetRecipientRequest { RecipientId = bpbdHst.RecipientId })).Office);
        Assert.Equal(handover.HandoverId, (await hsu.GetHandoverAsync(new GetHandoverRequest { HandoverId = handover.HandoverId })).HandoverId);
    }

    private static CreateRecipientRequest NewRecipient(string name, string office = "") => new()
    {
        RequestId = NewId(),
        Kind = RecipientKind.DisasterManagementAgency,
        Name = name,
        District = "Hulu Sungai Utara",
        Office = office,
    };

    private static async Task<List<string>> RecipientIdsAsync(Client client) =>
        [.. (await client.ListRecipientsAsync(new ListRecipientsRequest { PageSize = 200 })).Recipients.Select(r => r.RecipientId)];

    private static class RpcAssertions
    {
        public static async Task FailsAsync<T>(StatusCode code, AsyncUnaryCall<T> call)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
            Assert.Equal(code, error.StatusCode);
        }
    }
}
