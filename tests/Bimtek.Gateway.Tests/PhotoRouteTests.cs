using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// Production's photo and lesson video routes (plain HTTP, not in protos/): the uploads and the reads exist, go to
/// production, and admit exactly the roles of production's other routes; a photo over the route's limit is answered 413
/// at the gateway, a lesson video far larger passes, and a player's Range reaches production.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PhotoRouteTests(GatewayFixture fixture)
{
    private static string ProgrammeId { get; } = Guid.NewGuid().ToString();
    private static string PhotoId { get; } = Guid.NewGuid().ToString();

    public static TheoryData<string, string> Routes() => new()
    {
        { "POST", $"/api/v1/programmes/{ProgrammeId}/photos?requestId={Guid.NewGuid()}" },
        { "GET", $"/api/v1/photos/{PhotoId}" },
        { "GET", $"/api/v1/photos/{PhotoId}?size=thumb" },
        { "POST", $"/api/v1/programmes/{ProgrammeId}/videos?requestId={Guid.NewGuid()}" },
        { "GET", $"/api/v1/videos/{PhotoId}" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_photo_route_goes_to_production_for_its_roles_only(string verb, string pathAndQuery)
    {
        using (var anonymous = await SendAsync(fixture.Gateway.Client(), verb, pathAndQuery, 100))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.False(anonymous.Headers.Contains(FakeBackends.BackendHeader));
        }
        var admitted = RouteTableTests.RestRoles["production"];
        foreach (var role in Callers.AllRoles)
        {
            using var response = await SendAsync(fixture.Gateway.ClientFor(role), verb, pathAndQuery, 100);
            if (admitted.Contains(role))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} {verb} {pathAndQuery}: {response.StatusCode}");
                var echo = await Echo.ReadAsync(response);
                Assert.Equal("production", echo.Backend);
                Assert.Equal(verb, echo.Method);
                Assert.Equal(pathAndQuery, echo.Path);
                Assert.Equal($"key-{role}", echo.Subject);
                Assert.Equal([role], echo.Roles);
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {verb} {pathAndQuery}: {response.StatusCode}");
                Assert.False(response.Headers.Contains(FakeBackends.BackendHeader));
            }
        }
    }

    [Fact]
    public async Task A_phone_photo_over_the_general_body_limit_passes_and_one_over_the_photo_limit_gets_413_without_reaching_production()
    {
        using var client = fixture.Gateway.ClientFor(Roles.Trainee);
        var path = $"/api/v1/programmes/{ProgrammeId}/photos?requestId={Guid.NewGuid()}";

        using var phonePhoto = await SendAsync(client, "POST", path, 6 * 1024 * 1024);
        Assert.Equal(HttpStatusCode.OK, phonePhoto.StatusCode);
        Assert.Equal("production", (await Echo.ReadAsync(phonePhoto)).Backend);

        using var tooBig = await SendAsync(client, "POST", path, 10 * 1024 * 1024 + 1);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.False(tooBig.Headers.Contains(FakeBackends.BackendHeader));
        var body = JsonDocument.Parse(await tooBig.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("REQUEST_TOO_LARGE", body.GetProperty("details")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_lesson_video_far_over_the_photo_limit_reaches_production_and_a_players_range_is_forwarded()
    {
        using var office = fixture.Gateway.ClientFor(Roles.Operator);
        using var video = await SendAsync(office, "POST", $"/api/v1/programmes/{ProgrammeId}/videos?requestId={Guid.NewGuid()}", 24 * 1024 * 1024);
        Assert.Equal(HttpStatusCode.OK, video.StatusCode);
        Assert.Equal("production", (await Echo.ReadAsync(video)).Backend);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/videos/{PhotoId}");
        ranged.Headers.Range = new RangeHeaderValue(0, 99);
        using var trainee = fixture.Gateway.ClientFor(Roles.Trainee);
        using var response = await trainee.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await Echo.ReadAsync(response);
        Assert.Equal("production", echo.Backend);
        Assert.Equal("bytes=0-99", echo.Headers["Range"]);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string verb, string pathAndQuery, int bytes)
    {
        var request = new HttpRequestMessage(new HttpMethod(verb), pathAndQuery);
        if (verb == "POST")
        {
            var body = new byte[bytes];
            body[0] = 0xFF;
            body[1] = 0xD8;
            body[2] = 0xFF;
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        }
        return client.SendAsync(request);
    }
}
