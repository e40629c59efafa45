using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Tests.Probe;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.V1;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.ServiceDefaults.Tests;

public sealed class OutboxTests
{
    [Theory, BothDatabases]
    public async Task A_message_left_undelivered_when_the_host_stops_is_delivered_once_by_the_next_host(DatabaseKind kind)
    {
        using var probeDb = await TestDatabase.CreateAsync(kind, "outbox-probe");
        using var receiverDb = await TestDatabase.CreateAsync(kind, "outbox-receiver");
        await using var receiver = await ProbeHosts.StartReceiverAsync(receiverDb);

        // First host: the receiver is unreachable, so the committed message stays pending.
        Note note;
        await using (var probe = await ProbeHosts.StartProbeAsync(probeDb, new Downstream().Route("receiver", () => new UnreachableHandler())))
        {
            note = await probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator())
                .CreateNoteAsync(new CreateNoteRequest { RequestId = Guid.NewGuid().ToString(), Text = "kit", Count = 1 });
            var status = await probe.Services.GetRequiredService<OutboxStatus>().ReadAsync();
            Assert.Equal(1, status.Pending);
        }
        Assert.Equal(0, await TimesAppliedAsync(receiver, note.Id));

        // Second host on the same database, receiver reachable: the pending row is found and delivered.
        await using var restarted = await ProbeHosts.StartProbeAsync(probeDb, new Downstream().Route("receiver", receiver));
        await WaitUntilAsync(async () => (await restarted.Services.GetRequiredService<OutboxStatus>().ReadAsync()).Pending == 0, () => DescribeOutboxAsync(restarted));
        Assert.Equal(1, await TimesAppliedAsync(receiver, note.Id));

        // The same message delivered again (a lost acknowledgement) is applied no second time.
        var database = restarted.Services.GetRequiredService<Database>();
        await database.InTransactionAsync(s => s.ExecuteAsync("UPDATE outbox_messages SET status = 'pending', next_attempt_at = 0"));
        await restarted.Services.GetRequiredService<OutboxRelay>().RelayBatchAsync(CancellationToken.None);
        await WaitUntilAsync(async () => (await restarted.Services.GetRequiredService<OutboxStatus>().ReadAsync()).Pending == 0);
        Assert.Equal(1, await TimesAppliedAsync(receiver, note.Id));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_parked_and_reported_by_readiness()
    {
        using var probeDb = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "outbox-park");
        await using var probe = await ProbeHosts.StartProbeAsync(
            probeDb,
            new Downstream().Route("receiver", () => new UnreachableHandler()),
            new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "2" });
        await probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator())
            .CreateNoteAsync(new CreateNoteRequest { RequestId = Guid.NewGuid().ToString(), Text = "kit", Count = 1 });

        await WaitUntilAsync(async () => (await probe.Services.GetRequiredService<OutboxStatus>().ReadAsync()).Parked == 1);

        using var http = probe.CreateHttpClient();
        using var ready = await http.GetAsync("/readyz");
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("\"outbox\":{\"status\":\"Degraded\"", body);
    }

    private static async Task<long> TimesAppliedAsync(TestHost receiver, string noteId)
    {
        await using var connection = await receiver.Services.GetRequiredService<Database>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>("SELECT times FROM applied_notes WHERE note_id = @noteId", new { noteId }) ?? 0;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<Task<string>>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Condition not met within 20 s. " + (describe is null ? "" : await describe()));
            }
            await Task.Delay(50);
        }
    }

    private static async Task<string> DescribeOutboxAsync(TestHost host)
    {
        await using var connection = await host.Services.GetRequiredService<Database>().OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Status, long Attempts, long NextAttemptAt, string? LastError)>(
            "SELECT status, attempts, next_attempt_at, last_error FROM outbox_messages");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return string.Join("; ", rows.Select(r => $"{r.Status} after {r.Attempts} attempts, due in {r.NextAttemptAt - now} ms: {r.LastError}"));
    }
}
