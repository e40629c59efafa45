using System.Net;
using System.Net.Http.Json;
using Bimtek.ServiceDefaults.Health;
using Bimtek.Testing.Hosting;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

/// <summary>The bench's allocation counters: answered only where configured (the bench's suite), never otherwise.</summary>
public sealed class RuntimeCountersTests
{
    [Fact]
    public async Task The_runtime_counters_answer_when_configured_and_grow_with_work()
    {
        await using var h = await StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { [RuntimeCounters.Setting] = "true" });
        using var http = h.Host.CreateHttpClient();

        var before = await http.GetFromJsonAsync<RuntimeCounterValues>(RuntimeCounters.Path);
        await h.ActiveProgrammeAsync();
        var after = await http.GetFromJsonAsync<RuntimeCounterValues>(RuntimeCounters.Path);

        Assert.True(before!.AllocatedBytes > 0);
        Assert.True(after!.AllocatedBytes > before.AllocatedBytes, $"{before.AllocatedBytes} -> {after.AllocatedBytes}");
        Assert.True(after.Gen0Collections >= before.Gen0Collections);
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_such_endpoint()
    {
        await using var h = await StartAsync(DatabaseKind.Sqlite);
        using var anonymous = h.Host.CreateHttpClient();
        using var signedIn = h.Host.CreateHttpClient(TestTokens.Operator());

        // Like any path the service does not have: 401 without a token, 404 with one.
        using var refused = await anonymous.GetAsync(RuntimeCounters.Path);
        using var missing = await signedIn.GetAsync(RuntimeCounters.Path);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
