using System.Net;
using System.Text.Json;
using Bimtek.Testing.Hosting;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

/// <summary>
/// A read route names an id distribution does not know: HTTP 404 with reason NOT_FOUND naming the
/// programme — never 200 with an empty view. The same route with a known id answers 200.
/// </summary>
public sealed class NotFoundTests : IAsyncLifetime
{
    private DistributionHarness? _harness;

    private DistributionHarness Harness => _harness!;

    public async Task InitializeAsync() => _harness = await StartAsync(DatabaseKind.Sqlite, "dist-not-found");

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/distribution/reports/programmes/{0}")]
    [InlineData("/api/v1/distribution/reports/programmes/{0}/csv")]
    public async Task A_programme_report_of_an_unknown_programme_is_404_not_found(string route)
    {
        var known = NewId();
        await Harness.ReceiveAsync(known, 10);
        var unknown = NewId();
        using var http = Harness.Host.CreateHttpClient(TestTokens.Mint("integrator-1", "integrator"));

        using var found = await http.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, known));
        using var missing = await http.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, unknown));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var body = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.Equal($"programme '{unknown}' was not found.", body.RootElement.GetProperty("message").GetString());
        var details = body.RootElement.GetProperty("details").EnumerateArray().ToList();
        Assert.Contains(details, d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal)
            && d.GetProperty("reason").GetString() == "NOT_FOUND");
        Assert.Contains(details, d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.ResourceInfo", StringComparison.Ordinal)
            && d.GetProperty("resourceName").GetString() == unknown);
    }
}
