using System.Net;
using System.Text.Json;
using Bimtek.Gateway.OpenApi;
using Bimtek.Gateway.Tests.Support;

namespace Bimtek.Gateway.Tests;

/// <summary>The OpenAPI document against protos/, the docs UI, and the aggregated readiness.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ApiDocsAndHealthTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_openapi_document_lists_every_rest_route_of_every_service()
    {
        var document = await GetJsonAsync("/openapi/v1.json");

        var documented = new HashSet<string>();
        var plain = new HashSet<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var isPlain = operation.Value.TryGetProperty(PhotoOperations.PlainHttpExtension, out var flag) && flag.GetBoolean();
                (isPlain ? plain : documented).Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
            }
        }
        var published = ProtoRoutes.RestBindings.Select(b => $"{b.Verb.ToUpperInvariant()} {b.Path}").ToHashSet();
        Assert.Equal(published.Order(), documented.Order());
        // Besides the http rules: production's plain-HTTP photo and lesson video routes, and nothing else.
        Assert.Equal(new[]
        {
            $"GET {PhotoOperations.ReadPath}", $"POST {PhotoOperations.UploadPath}", $"GET {VideoOperations.ReadPath}", $"POST {VideoOperations.UploadPath}",
        }.Order(StringComparer.Ordinal), plain.Order(StringComparer.Ordinal));
        Assert.Equal("3.0.3", document.GetProperty("openapi").GetString());
    }

    /// <summary>A documented plain-HTTP route is one the gateway routes: each reaches production with its method.</summary>
    [Fact]
    public async Task The_documented_photo_routes_are_routed_to_production()
    {
        var document = await GetJsonAsync("/openapi/v1.json");
        using var client = fixture.Gateway.ClientFor(Bimtek.ServiceDefaults.Security.Roles.Operator);
        var routed = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.TryGetProperty(PhotoOperations.PlainHttpExtension, out _)))
            {
                var concrete = path.Name.Replace("{programme_id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                    .Replace("{photo_id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                    .Replace("{video_id}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), concrete + "?requestId=" + Guid.NewGuid());
                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    var type = body.GetProperty("content").EnumerateObject().First().Name;
                    request.Content = new ByteArrayContent([0xFF, 0xD8, 0xFF]);
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
                }
                using var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation.Name} {concrete}: HTTP {(int)response.StatusCode}");
                var echo = await Echo.ReadAsync(response);
                Assert.Equal("production", echo.Backend);
                Assert.Equal(operation.Name.ToUpperInvariant(), echo.Method);
                routed++;
            }
        }
        Assert.Equal(PhotoOperations.Count + VideoOperations.Count, routed);
    }

    [Fact]
    public async Task The_openapi_document_carries_the_proto_comments_parameters_and_schemas()
    {
        var document = await GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        var activate = paths.GetProperty("/api/v1/programmes/{programme_id}:activate").GetProperty("post");
        Assert.Contains("ACTIVE", activate.GetProperty("description").GetString());
        Assert.Equal("programme_id", activate.GetProperty("parameters")[0].GetProperty("name").GetString());
        Assert.True(activate.TryGetProperty("requestBody", out _));

        var list = paths.GetProperty("/api/v1/programmes").GetProperty("get");
        var query = list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("pageSize", query);
        Assert.Contains("pageToken", query);

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var programme = schemas.GetProperty("bimtek.participants.v1.Programme");
        Assert.False(string.IsNullOrWhiteSpace(programme.GetProperty("description").GetString()));
        Assert.True(programme.GetProperty("properties").TryGetProperty("programmeId", out _));
        Assert.True(schemas.TryGetProperty("google.rpc.Status", out _));
        Assert.Equal(7, document.GetProperty("tags").GetArrayLength());

        // Identity's two routes carry their own policies: codes for operators and instructors, invitations for operators.
        var codes = paths.GetProperty("/api/v1/sign-in-codes").GetProperty("post");
        Assert.Equal(["operator", "instructor"], codes.GetProperty("x-roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("ALREADY_ISSUED", codes.GetProperty("responses").GetProperty("409").GetProperty("x-error-reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("NOT_A_TRAINEE", codes.GetProperty("responses").GetProperty("400").GetProperty("x-error-reasons").EnumerateArray().Select(r => r.GetString()));
        var invitations = paths.GetProperty("/api/v1/invitations").GetProperty("post");
        Assert.Equal(["operator"], invitations.GetProperty("x-roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task The_docs_ui_is_served_without_credentials_and_points_at_the_document()
    {
        using var client = fixture.Gateway.Client();

        using var page = await client.GetAsync("/docs/index.html");
        using var config = await client.GetAsync("/docs/index.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/openapi/v1.json", await config.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_reports_each_downstream_service()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>());
        using var client = gateway.Client();

        var ready = JsonDocument.Parse(await client.GetStringAsync("/readyz")).RootElement;
        gateway.Router.Set("distribution", BackendRouter.Mode.Stopped);
        using var degraded = await client.GetAsync("/readyz");
        var body = JsonDocument.Parse(await degraded.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal(ProtoRoutes.ServiceNames.Order(), ready.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, degraded.StatusCode);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("distribution").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("participants").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Notifications_down_makes_readyz_degraded_but_the_front_door_stays_ready()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>());
        using var client = gateway.Client();
        gateway.Router.Set("notifications", BackendRouter.Mode.Stopped);

        using var response = await client.GetAsync("/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        Assert.Equal("Degraded", body.GetProperty("checks").GetProperty("notifications").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("participants").GetProperty("status").GetString());
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var client = fixture.Gateway.Client();
        return JsonDocument.Parse(await client.GetStringAsync(path)).RootElement;
    }
}
