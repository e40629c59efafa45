using System.Net;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Gateway.Tests;

/// <summary>Offices: an API key and a person's account belong to an office, and the services learn it from the gateway's token only.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OfficeTests(GatewayFixture fixture)
{
    [Fact]
    public async Task An_api_key_belongs_to_its_configured_office_and_the_service_receives_it()
    {
        using var client = fixture.Gateway.Client(apiKey: Callers.OfficeApiKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/programmes");
        // A client cannot name its own office: only configuration and signed tokens do.
        request.Headers.TryAddWithoutValidation("X-Office", "DISPERIN-KALSEL");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await Echo.ReadAsync(response);
        Assert.Equal("key-office", echo.Subject);
        Assert.Equal([Roles.Operator], echo.Roles);
        Assert.Equal(Callers.KeyOffice, echo.Office);
    }

    [Fact]
    public async Task An_api_key_without_an_office_forwards_none_so_services_take_the_default_office()
    {
        using var client = fixture.Gateway.Client(apiKey: Callers.ApiKeyFor(Roles.Operator));

        using var response = await client.GetAsync("/api/v1/programmes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", (await Echo.ReadAsync(response)).Office);
    }

    [Fact]
    public async Task A_persons_office_claim_is_forwarded()
    {
        using var client = fixture.Gateway.Client(bearer: Callers.Person("op-kalsel", [Roles.Operator], office: "DISPERIN-KALSEL"));

        using var response = await client.GetAsync("/api/v1/programmes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await Echo.ReadAsync(response);
        Assert.Equal("op-kalsel", echo.Subject);
        Assert.Equal("DISPERIN-KALSEL", echo.Office);
    }
}
