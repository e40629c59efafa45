using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// The real participants service (its Program, on SQLite) behind the gateway, trusting only the gateway's
/// public key: REST through the gateway works end to end, and a trainee's token reaches only that trainee's
/// records — the service's object-level rule holds through the gateway (BOLA).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RealServiceTests(GatewayFixture fixture) : IAsyncLifetime
{
    private TestDatabase? _database;
    private ServiceHost<Bimtek.Participants.Program>? _participants;
    private GatewayHost? _gateway;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "gateway-participants");
        _participants = new ServiceHost<Bimtek.Participants.Program>(_database,
            configuration: new Dictionary<string, string?> { ["Auth:PublicKeyPem"] = Callers.GatewayPublicKeyPem });
        _gateway = fixture.CreateGateway(new Dictionary<string, string?>());
        _gateway.Router.Replace("participants", _participants);
    }

    public async Task DisposeAsync()
    {
        await _gateway!.DisposeAsync();
        await _participants!.DisposeAsync();
        _database!.Dispose();
    }

    [Fact]
    public async Task A_trainee_reaches_only_their_own_person_record_through_the_gateway()
    {
        using var office = _gateway!.ClientFor(Roles.Operator);
        var alice = await RegisterTraineeAsync(office, "Alice", "trainee-alice");
        var budi = await RegisterTraineeAsync(office, "Budi", "trainee-budi");
        using var asAlice = _gateway.Client(bearer: Callers.Person("trainee-alice", [Roles.Trainee]));

        using var own = await asAlice.GetAsync($"/api/v1/people/{alice}");
        using var other = await asAlice.GetAsync($"/api/v1/people/{budi}");
        using var unknown = await asAlice.GetAsync($"/api/v1/people/{Guid.NewGuid()}");
        using var write = await asAlice.PostAsJsonAsync($"/api/v1/people/{budi}:recordGuardianConsent",
            new { requestId = Guid.NewGuid().ToString(), guardianName = "Not Budi's guardian", guardianConsent = true });

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("PERMISSION_DENIED", await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_http_method_on_a_real_path_answers_405_with_the_documented_error_body()
    {
        using var office = _gateway!.ClientFor(Roles.Operator);

        using var response = await office.DeleteAsync("/api/v1/programmes");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(12, body.GetProperty("code").GetInt32());
        Assert.Equal("METHOD_NOT_ALLOWED", body.GetProperty("details")[0].GetProperty("reason").GetString());
        Assert.Contains("GET", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_service_rejects_a_call_that_did_not_come_through_the_gateway()
    {
        using var direct = _participants!.CreateHttpClient(Callers.Person("trainee-alice", [Roles.Operator]));

        using var response = await direct.GetAsync("/api/v1/programmes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<string> RegisterTraineeAsync(HttpClient office, string name, string subject)
    {
        using var response = await office.PostAsJsonAsync("/api/v1/people/trainees", new
        {
            requestId = Guid.NewGuid().ToString(),
            name,
            birthYear = 1990,
            village = "Amuntai",
            district = "Hulu Sungai Utara",
            subject,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("personId").GetString()!;
    }
}
