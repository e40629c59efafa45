using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Gateway.Tests;

/// <summary>Rate limits, correlation ids and the answers when a service is down or slow.</summary>
[Collection(GatewayCollection.Name)]
public sealed class LimitsTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_burst_over_the_limit_gets_429_with_retry_after_and_the_error_body()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>
        {
            ["Gateway:RateLimit:TokenLimit"] = "5",
            ["Gateway:RateLimit:TokensPerPeriod"] = "1",
            ["Gateway:RateLimit:ReplenishmentPeriod"] = "00:00:10",
        });
        using var client = gateway.ClientFor(Roles.Integrator);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 8; i++)
        {
            var response = await client.GetAsync("/api/v1/recipients");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                rejected ??= response;
            }
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotNull(rejected);
        Assert.True(int.Parse(rejected.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var body = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(8, body.GetProperty("code").GetInt32());
        Assert.Equal("RATE_LIMITED", body.GetProperty("details")[0].GetProperty("reason").GetString());

        // The limit is per client: another client is not affected, and probes are never limited.
        using var other = gateway.ClientFor(Roles.Operator);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/recipients")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task A_stopped_service_is_503_with_the_error_body_at_once()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>());
        gateway.Router.Set("production", BackendRouter.Mode.Stopped);
        using var client = gateway.ClientFor(Roles.Operator);

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("/api/v1/output-reports");
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(14, body.GetProperty("code").GetInt32());
        Assert.Equal("UNAVAILABLE", body.GetProperty("details")[0].GetProperty("reason").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

        // The other services are unaffected.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/recipients")).StatusCode);
    }

    [Fact]
    public async Task A_service_that_does_not_answer_is_504_within_the_route_timeout()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>
        {
            ["ReverseProxy:Routes:materials-stock:Timeout"] = "00:00:01",
        });
        gateway.Router.Set("materials", BackendRouter.Mode.Hanging);
        using var client = gateway.ClientFor(Roles.Operator);

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("/api/v1/stock/balances");
        clock.Stop();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4, body.GetProperty("code").GetInt32());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Every_response_carries_a_correlation_id_that_reaches_the_service()
    {
        using var client = fixture.Gateway.ClientFor(Roles.Operator);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/people");
        request.Headers.Add("X-Correlation-Id", "abc-123");
        using var given = await client.SendAsync(request);
        using var generated = await client.GetAsync("/api/v1/people");
        using var denied = await fixture.Gateway.Client().GetAsync("/api/v1/people");

        Assert.Equal("abc-123", given.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("abc-123", (await Echo.ReadAsync(given)).Header("X-Correlation-Id"));
        var id = generated.Headers.GetValues("X-Correlation-Id").Single();
        Assert.False(string.IsNullOrWhiteSpace(id));
        Assert.Equal(id, (await Echo.ReadAsync(generated)).Header("X-Correlation-Id"));
        Assert.True(denied.Headers.Contains("X-Correlation-Id"));
    }

    [Fact]
    public async Task A_malformed_correlation_id_is_replaced()
    {
        using var client = fixture.Gateway.ClientFor(Roles.Operator);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/people");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", "bad id\twith spaces" + new string('x', 200));

        using var response = await client.SendAsync(request);

        var id = response.Headers.GetValues("X-Correlation-Id").Single();
        Assert.DoesNotContain(" ", id);
        Assert.True(id.Length <= 128);
    }
}
