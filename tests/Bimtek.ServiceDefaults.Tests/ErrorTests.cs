using System.Net;
using System.Net.Http.Json;
using Bimtek.ServiceDefaults.Tests.Probe;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.V1;
using Google.Rpc;
using Grpc.Core;

namespace Bimtek.ServiceDefaults.Tests;

public sealed class ErrorTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private WebTestHost? _probe;

    private WebTestHost Probe => _probe!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "errors");
        _probe = await ProbeHosts.StartProbeAsync(_database, new Downstream().Route("receiver", () => new UnreachableHandler()));
    }

    public async Task DisposeAsync()
    {
        await Probe.DisposeAsync();
        _database!.Dispose();
    }

    [Fact]
    public async Task Bad_input_is_invalid_argument_with_a_violation_per_field()
    {
        var client = Probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator());

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.CreateNoteAsync(new CreateNoteRequest { RequestId = "not-a-uuid", Text = "", Count = 0 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violations = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Equal(["request_id", "text", "count"], violations);
        // Several kinds of failure: the error says so, and each violation carries its own reason.
        Assert.Equal("INVALID_FIELDS", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
        var reasons = error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.ToDictionary(v => v.Field, v => v.Reason);
        Assert.Equal("MALFORMED_REQUEST_ID", reasons["request_id"]);
        Assert.Equal("FIELD_REQUIRED", reasons["text"]);
        Assert.Equal("VALUE_OUT_OF_RANGE", reasons["count"]);
    }

    [Fact]
    public async Task Bad_input_over_rest_is_http_400_with_the_same_details()
    {
        using var http = Probe.CreateHttpClient(TestTokens.Operator());

        using var response = await http.PostAsJsonAsync("/api/v1/notes", new { requestId = "not-a-uuid", text = "", count = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("type.googleapis.com/google.rpc.BadRequest", body);
        // The same violations and reasons, the fields named as REST callers write them (JSON names).
        Assert.Contains("\"field\":\"requestId\"", body);
        Assert.DoesNotContain("request_id", body);
        Assert.Contains("\"reason\":\"MALFORMED_REQUEST_ID\"", body);
        Assert.Contains("\"field\":\"text\"", body);
        Assert.Contains("\"field\":\"count\"", body);
        Assert.Contains("\"reason\":\"INVALID_FIELDS\"", body);
    }

    [Fact]
    public async Task A_valid_rest_call_is_served()
    {
        using var http = Probe.CreateHttpClient(TestTokens.Operator());

        using var response = await http.PostAsJsonAsync("/api/v1/notes", new { requestId = Guid.NewGuid(), text = "masks", count = 3 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"text\":\"masks\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_call_without_a_gateway_token_is_unauthenticated()
    {
        var anonymous = Probe.Client<ProbeService.ProbeServiceClient>(token: null);
        var forged = Probe.Client<ProbeService.ProbeServiceClient>(
            TestTokens.Mint("x", ["operator"], TimeSpan.FromMinutes(5), key: new Microsoft.IdentityModel.Tokens.ECDsaSecurityKey(
                System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))));
        var expired = Probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Mint("x", ["operator"], TimeSpan.FromMinutes(-5)));
        var request = new CreateNoteRequest { RequestId = Guid.NewGuid().ToString(), Text = "x", Count = 1 };

        foreach (var client in new[] { anonymous, forged, expired })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.CreateNoteAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }
        using var http = Probe.CreateHttpClient();
        using var rest = await http.PostAsJsonAsync("/api/v1/notes", new { requestId = Guid.NewGuid(), text = "x", count = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
    }

    [Fact]
    public async Task An_unexpected_failure_is_internal_and_leaks_nothing()
    {
        var client = Probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator());

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExplodeAsync(new ExplodeRequest { Secret = "hunter2" }).ResponseAsync);

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("hunter2", error.ToString());
        Assert.DoesNotContain("InvalidOperationException", error.Status.Detail);
    }

    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        using var http = Probe.CreateHttpClient();

        using var live = await http.GetAsync("/healthz");
        using var ready = await http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"database\":{\"status\":\"Healthy\"", await ready.Content.ReadAsStringAsync());
    }
}
