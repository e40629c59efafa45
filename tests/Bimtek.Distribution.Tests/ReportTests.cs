using System.Net;
using System.Text.Json;
using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

public sealed class ReportTests
{
    [Theory, BothDatabases]
    public async Task The_programme_flow_and_recipient_reports_add_up_as_json_and_csv(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-reports");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 300);
        await harness.ReceiveAsync(programme, 200);
        await harness.ReceiveAsync(programme, 60, "APD-SET");
        var bpbd = await harness.CreateBpbdAsync("bpbd-user");
        var puskesmas = await harness.CreateRecipientAsync("Puskesmas \"Amuntai\", Kota", RecipientKind.HealthCentre, "pkm-user");
        var masks = await harness.Operator.CreateHandoverAsync(Handover(programme, bpbd.RecipientId, 450));
        await harness.Operator.CreateHandoverAsync(Handover(programme, puskesmas.RecipientId, 60, "APD-SET"));
        await harness.RecipientUser("bpbd-user").ConfirmHandoverAsync(new ConfirmHandoverRequest { RequestId = NewId(), HandoverId = masks.HandoverId });
        await harness.RecipientUser("bpbd-user").RecordOnwardDeliveryAsync(Onward(bpbd.RecipientId, programme, 100)); // 50 households

        using var http = harness.Host.CreateHttpClient(TestTokens.Mint("integrator-1", "integrator"));
        using var json = await http.GetAsync($"/api/v1/distribution/reports/programmes/{programme}");
        using var csv = await http.GetAsync($"/api/v1/distribution/reports/programmes/{programme}/csv");

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        using var document = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var products = document.RootElement.GetProperty("products").EnumerateArray().ToList();
        Assert.Equal(["APD-SET", MaskProduct], products.Select(p => p.GetProperty("productCode").GetString()));
        var mask = products[1];
        Assert.Equal(500, mask.GetProperty("acceptedUnits").GetInt32());
        Assert.Equal(450, mask.GetProperty("handedOverUnits").GetInt32());
        Assert.Equal(450, mask.GetProperty("confirmedUnits").GetInt32());
        Assert.Equal(100, mask.GetProperty("deliveredOnwardUnits").GetInt32());
        Assert.Equal(50, mask.GetProperty("households").GetInt32());
        Assert.Equal(50, mask.GetProperty("availableUnits").GetInt32());
        Assert.False(mask.TryGetProperty("producedUnitsKnown", out var known) && known.GetBoolean());

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // Every text field quoted (names are empty: this host asks no catalogue), numbers bare, unknown produced empty.
        Assert.Equal("\"programme_id\",\"programme_code\",\"programme_title\",\"product_code\",\"product_name\",\"produced_units\",\"accepted_units\"," +
            "\"handed_over_units\",\"confirmed_units\",\"delivered_onward_units\",\"households\",\"available_units\"", lines[0]);
        Assert.Equal($"\"{programme}\",\"\",\"\",\"APD-SET\",\"\",,60,60,0,0,0,0", lines[1]);
        Assert.Equal($"\"{programme}\",\"\",\"\",\"{MaskProduct}\",\"\",,500,450,450,100,50,50", lines[2]);

        // Recipient report: everyone for integrators, own agency only for a recipient's user.
        var all = await harness.Integrator.GetRecipientReportAsync(new GetRecipientReportRequest { ProgrammeId = programme });
        Assert.Equal([(bpbd.RecipientId, 450, 100, 350), (puskesmas.RecipientId, 60, 0, 60)],
            all.Rows.Select(r => (r.RecipientId, r.ReceivedUnits, r.DeliveredOnwardUnits, r.HeldUnits)));
        var own = await harness.RecipientUser("pkm-user").GetRecipientReportAsync(new GetRecipientReportRequest());
        Assert.Equal(puskesmas.RecipientId, Assert.Single(own.Rows).RecipientId);
        await FailsAsync(StatusCode.PermissionDenied, () => harness.RecipientUser("pkm-user")
            .GetRecipientReportAsync(new GetRecipientReportRequest { RecipientId = bpbd.RecipientId }).ResponseAsync);
        await FailsAsync(StatusCode.PermissionDenied, () => harness.RecipientUser("pkm-user")
            .GetProgrammeFlowReportAsync(new GetProgrammeFlowReportRequest { ProgrammeId = programme }).ResponseAsync);

        using var recipientCsv = await http.GetAsync($"/api/v1/distribution/reports/recipients/csv?programmeId={programme}");
        var recipientLines = (await recipientCsv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, recipientLines.Length);
        Assert.Equal(
            $"\"{puskesmas.RecipientId}\",\"Puskesmas \"\"Amuntai\"\", Kota\",\"RECIPIENT_KIND_HEALTH_CENTRE\",\"{programme}\",\"\",\"\",\"APD-SET\",\"\",60,0,60,0,1",
            recipientLines[2]);
    }
}
