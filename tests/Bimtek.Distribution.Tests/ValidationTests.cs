using System.Net;
using System.Net.Http.Json;
using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

public sealed class ValidationTests : IAsyncLifetime
{
    private DistributionHarness? _harness;

    private DistributionHarness Harness => _harness!;

    public async Task InitializeAsync() => _harness = await StartAsync(DatabaseKind.Sqlite, "dist-validation");

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    [Fact]
    public async Task A_bad_handover_is_invalid_argument_with_a_violation_per_field()
    {
        var request = new CreateHandoverRequest
        {
            RequestId = "x",
            ProgrammeId = "not-an-id",
            Units = 0,
            Day = new Google.Type.Date { Year = 2020, Month = 2, Day = 30 },
            Giver = new Common.V1.Signatory { Name = "Ahmad" },
            Note = new string('n', 1001),
        };

        var error = await FailsAsync(StatusCode.InvalidArgument, () => Harness.Operator.CreateHandoverAsync(request).ResponseAsync);

        Assert.Equal(
            new HashSet<string>
            {
                "request_id", "programme_id", "product_code", "units", "recipient_id", "day", "place", "giver.position", "receiver", "note",
            },
            Fields(error));
        Assert.Equal("INVALID_ARGUMENT", Reason(error));
    }

    [Fact]
    public async Task Bad_input_over_rest_is_http_400_with_field_violations()
    {
        using var http = Harness.Host.CreateHttpClient(TestTokens.Operator());

        using var handover = await http.PostAsJsonAsync("/api/v1/handovers", new { requestId = Guid.NewGuid(), units = -5 });
        using var recipient = await http.PostAsJsonAsync("/api/v1/recipients", new { requestId = "x", name = new string('a', 201) });
        using var list = await http.GetAsync("/api/v1/handovers?pageSize=500");

        Assert.Equal(HttpStatusCode.BadRequest, handover.StatusCode);
        var body = await handover.Content.ReadAsStringAsync();
        Assert.Contains("type.googleapis.com/google.rpc.BadRequest", body);
        Assert.Contains("\"field\":\"units\"", body);
        Assert.Contains("\"field\":\"giver\"", body);
        Assert.Equal(HttpStatusCode.BadRequest, recipient.StatusCode);
        var recipientBody = await recipient.Content.ReadAsStringAsync();
        Assert.Contains("\"field\":\"kind\"", recipientBody);
        Assert.Contains("\"field\":\"name\"", recipientBody);
        Assert.Contains("\"field\":\"district\"", recipientBody);
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        Assert.Contains("\"field\":\"page_size\"", await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Not_enough_goods_over_rest_carries_the_available_count()
    {
        var programme = NewId();
        await Harness.ReceiveAsync(programme, 7);
        var bpbd = await Harness.CreateBpbdAsync();
        using var http = Harness.Host.CreateHttpClient(TestTokens.Operator());

        var request = Handover(programme, bpbd.RecipientId, 8);
        using var response = await http.PostAsJsonAsync("/api/v1/handovers", new
        {
            requestId = request.RequestId,
            programmeId = programme,
            productCode = request.ProductCode,
            units = 8,
            recipientId = bpbd.RecipientId,
            day = new { year = 2020, month = 5, day = 28 },
            place = "Amuntai",
            giver = new { name = "A", position = "Kepala Dinas" },
            receiver = new { name = "B", position = "Kalak BPBD" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("NOT_ENOUGH_GOODS", body);
        Assert.Contains("\"available_units\":\"7\"", body);
        Assert.Contains("type.googleapis.com/google.rpc.PreconditionFailure", body);
    }

    [Fact]
    public async Task Recipients_are_created_by_operators_listed_by_name_and_filtered()
    {
        await Harness.CreateRecipientAsync("Puskesmas Amuntai", RecipientKind.HealthCentre);
        await Harness.CreateBpbdAsync("bpbd-user", "bpbd-user", "bpbd-2");

        await FailsAsync(StatusCode.PermissionDenied, () => Harness.Integrator.CreateRecipientAsync(new CreateRecipientRequest
        {
            RequestId = NewId(),
            Kind = RecipientKind.School,
            Name = "x",
            District = "y",
        }).ResponseAsync);
        var all = await Harness.Integrator.ListRecipientsAsync(new ListRecipientsRequest());
        var health = await Harness.Integrator.ListRecipientsAsync(new ListRecipientsRequest { Kind = RecipientKind.HealthCentre });

        Assert.Equal(["BPBD Kabupaten Hulu Sungai Utara", "Puskesmas Amuntai"], all.Recipients.Select(r => r.Name).Take(2));
        Assert.Equal(["bpbd-2", "bpbd-user"], all.Recipients[0].UserSubjects);
        Assert.All(health.Recipients, r => Assert.Equal(RecipientKind.HealthCentre, r.Kind));
        Assert.Equal(all.Recipients[0], await Harness.RecipientUser("bpbd-user").GetRecipientAsync(new GetRecipientRequest { RecipientId = all.Recipients[0].RecipientId }));
        await FailsAsync(StatusCode.NotFound, () => Harness.Operator.GetRecipientAsync(new GetRecipientRequest { RecipientId = NewId() }).ResponseAsync);
        Assert.Contains("recipient_id", Fields(await FailsAsync(StatusCode.InvalidArgument,
            () => Harness.Operator.GetRecipientAsync(new GetRecipientRequest { RecipientId = "BPBD" }).ResponseAsync)));
    }
}
