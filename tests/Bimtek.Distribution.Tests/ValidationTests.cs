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
        // Fields by their proto names over gRPC; a reason per violation, and the error's reason says several kinds failed.
        Assert.Equal("INVALID_FIELDS", Reason(error));
        var reasons = error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.ToDictionary(v => v.Field, v => v.Reason);
        Assert.Equal("MALFORMED_REQUEST_ID", reasons["request_id"]);
        Assert.Equal("MALFORMED_ID", reasons["programme_id"]);
        Assert.Equal("FIELD_REQUIRED", reasons["product_code"]);
        Assert.Equal("VALUE_OUT_OF_RANGE", reasons["units"]);
        Assert.Equal("FIELD_REQUIRED", reasons["recipient_id"]);
        Assert.Equal("INVALID_DATE", reasons["day"]);
        Assert.Equal("FIELD_REQUIRED", reasons["receiver"]);
        Assert.Equal("FIELD_TOO_LONG", reasons["note"]);

        // One kind of failure: the error's reason is that kind.
        var single = await FailsAsync(StatusCode.InvalidArgument, () => Harness.Operator.GetHandoverAsync(new GetHandoverRequest { HandoverId = "BAST-1" }).ResponseAsync);
        Assert.Equal("MALFORMED_ID", Reason(single));
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
        // Over REST fields are named by their JSON names, as the caller wrote them, each with its reason.
        Assert.Contains("\"field\":\"requestId\",\"description\":\"must be a UUID chosen by the client\",\"reason\":\"MALFORMED_REQUEST_ID\"", recipientBody);
        Assert.DoesNotContain("request_id", recipientBody);
        Assert.Contains("\"reason\":\"INVALID_FIELDS\"", recipientBody);
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        var listBody = await list.Content.ReadAsStringAsync();
        Assert.Contains("\"field\":\"pageSize\"", listBody);
        Assert.Contains("\"reason\":\"VALUE_OUT_OF_RANGE\"", listBody);
        Assert.DoesNotContain("page_size", listBody);
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
