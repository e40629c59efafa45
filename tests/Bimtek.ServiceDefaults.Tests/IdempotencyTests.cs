using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Tests.Probe;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.V1;
using Google.Rpc;
using Grpc.Core;

namespace Bimtek.ServiceDefaults.Tests;

public sealed class IdempotencyTests
{
    [Theory, BothDatabases]
    public async Task Twenty_concurrent_calls_with_one_request_id_apply_once_and_answer_alike(DatabaseKind kind)
    {
        using var database = await TestDatabase.CreateAsync(kind, "idem");
        await using var probe = await ProbeHosts.StartProbeAsync(database, new Downstream().Route("receiver", () => new UnreachableHandler()));
        var client = probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator());
        var request = new CreateNoteRequest { RequestId = Guid.NewGuid().ToString(), Text = "masks", Count = 5 };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.CreateNoteAsync(request).ResponseAsync));

        Assert.All(responses, r => Assert.Equal(responses[0], r));
        Assert.Equal(1, responses[0].Sequence);
        var second = await client.CreateNoteAsync(new CreateNoteRequest { RequestId = Guid.NewGuid().ToString(), Text = "other", Count = 1 });
        Assert.Equal(2, second.Sequence); // the 20 calls left exactly one note behind
    }

    [Theory, BothDatabases]
    public async Task A_reused_request_id_with_a_different_request_is_refused(DatabaseKind kind)
    {
        using var database = await TestDatabase.CreateAsync(kind, "idem");
        await using var probe = await ProbeHosts.StartProbeAsync(database, new Downstream().Route("receiver", () => new UnreachableHandler()));
        var client = probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator());
        var requestId = Guid.NewGuid().ToString();
        await client.CreateNoteAsync(new CreateNoteRequest { RequestId = requestId, Text = "masks", Count = 5 });

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.CreateNoteAsync(new CreateNoteRequest { RequestId = requestId, Text = "masks", Count = 6 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal(ErrorReasons.RequestIdReused, status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains(status.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == "request_id");
    }

    [Theory, BothDatabases]
    public async Task A_replay_after_a_restart_returns_the_first_answer(DatabaseKind kind)
    {
        using var database = await TestDatabase.CreateAsync(kind, "idem");
        var downstream = new Downstream().Route("receiver", () => new UnreachableHandler());
        var request = new CreateNoteRequest { RequestId = Guid.NewGuid().ToString(), Text = "masks", Count = 5 };
        Note first;
        await using (var probe = await ProbeHosts.StartProbeAsync(database, downstream))
        {
            first = await probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator()).CreateNoteAsync(request);
        }

        await using var restarted = await ProbeHosts.StartProbeAsync(database, downstream);
        var replay = await restarted.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator()).CreateNoteAsync(request);

        Assert.Equal(first, replay);
    }
}
