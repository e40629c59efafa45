using System.Diagnostics;
using Bimtek.Coordinator.V1;
using Bimtek.Gateway.Tests.Support;
using Bimtek.Suite;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// The built suite as real processes, with the gateway's gRPC route to the coordinator idling out after
/// <see cref="StreamSuiteFixture.ActivityTimeout"/> and the coordinator's heartbeat every
/// <see cref="StreamSuiteFixture.Heartbeat"/> (both shortened from 5 min and 15 s).
/// </summary>
public sealed class StreamSuiteFixture : IAsyncLifetime
{
    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    private readonly StringWriter _log = new();

    public SuiteProcesses Suite { get; private set; } = null!;

    public async Task InitializeAsync() => Suite = await SuiteProcesses.StartAsync(DatabaseKind.Sqlite, _log, new SuiteOptions
    {
        GatewayEnvironment = new Dictionary<string, string>
        {
            ["ReverseProxy__Clusters__coordinator-grpc__HttpRequest__ActivityTimeout"] = ActivityTimeout.ToString("c"),
        },
        ServiceEnvironment = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["coordinator"] = new Dictionary<string, string> { ["Coordinator__Watch__HeartbeatInterval"] = Heartbeat.ToString("c") },
        },
    });

    public async Task DisposeAsync()
    {
        if (Suite is not null)
        {
            await Suite.DisposeAsync();
        }
    }
}

/// <summary>
/// <c>WatchProgrammeProgress</c> as an internal system keeps it open: a C# gRPC client on the gateway's gRPC port
/// keeps an idle watch open past the route's activity timeout (the heartbeats keep it busy), resumes by change
/// sequence after the gateway is restarted under it without missing the change made meanwhile, and after the
/// coordinator is restarted under it; and, as the control, an idle watch without heartbeats is cut by that timeout.
/// </summary>
public sealed class LongLivedStreamTests(StreamSuiteFixture fixture, ITestOutputHelper output) : IClassFixture<StreamSuiteFixture>
{
    private Metadata ApiKey => new() { { "x-api-key", fixture.Suite.Secrets.ApiKey } };

    [Fact]
    public async Task An_idle_watch_outlives_the_routes_timeout_and_resumes_after_forced_ends_without_missing_a_change()
    {
        var suite = fixture.Suite;
        var (programmeId, traineeId) = await SuiteProgrammes.WithTwoTraineesAsync(suite, "WATCH");

        // 1. Idle past the route's activity timeout: only heartbeats arrive, and the stream is still open after it.
        var channel = GrpcChannel.ForAddress(suite.GatewayGrpcAddress);
        var quotas = new QuotaService.QuotaServiceClient(channel);
        var first = Watch(quotas, programmeId, 0);
        var snapshot = await NextAsync(first);
        Assert.True(snapshot.Snapshot);
        Assert.True(snapshot.ChangeSequence > 0);
        var idle = Stopwatch.StartNew();
        var beats = new List<(ProgrammeProgressUpdate Update, TimeSpan At)>();
        while (idle.Elapsed < StreamSuiteFixture.ActivityTimeout + StreamSuiteFixture.Heartbeat + TimeSpan.FromSeconds(1))
        {
            var update = await NextAsync(first);
            beats.Add((update, idle.Elapsed));
            output.WriteLine($"#{update.Sequence} heartbeat={update.Heartbeat} at {idle.Elapsed.TotalSeconds:0.0} s");
        }
        Assert.All(beats, b => Assert.True(b.Update.Heartbeat && b.Update.Summary is null && b.Update.Trainees.Count == 0));
        Assert.All(beats, b => Assert.Equal(snapshot.ChangeSequence, b.Update.ChangeSequence));
        Assert.True(beats.Count >= 4, $"{beats.Count} heartbeats in {idle.Elapsed}");
        Assert.True(beats[^1].At > StreamSuiteFixture.ActivityTimeout, $"last heartbeat at {beats[^1].At}");
        Assert.Equal(Enumerable.Range(2, beats.Count).Select(i => (long)i), beats.Select(b => b.Update.Sequence));
        var last = beats[^1].Update.ChangeSequence;

        // 2. A forced end: the gateway restarts under the stream. Meanwhile the trainee's quota is overridden.
        suite.Restart("gateway");
        var ended = await Assert.ThrowsAsync<RpcException>(() => NextAsync(first));
        output.WriteLine($"first watch ended: {ended.StatusCode}");
        first.Dispose();
        channel.Dispose();
        await suite.WaitReadyAsync(TimeSpan.FromSeconds(60), null, "gateway");
        channel = GrpcChannel.ForAddress(suite.GatewayGrpcAddress);
        quotas = new QuotaService.QuotaServiceClient(channel);
        var quota = snapshot.Trainees.Single(t => t.TraineeId == traineeId).Quota == 7 ? 6 : 7;
        await OverrideAsync(quotas, programmeId, traineeId, quota);

        // Resumed from the last change sequence: the change made while nobody watched comes first (a catch-up, or a
        // snapshot when the programme could not tell which trainees an override moved: it moves the others' too).
        var second = Watch(quotas, programmeId, last);
        var start = await NextAsync(second);
        Assert.False(start.Heartbeat);
        Assert.Contains(start.Trainees, t => t.TraineeId == traineeId && t.Quota == quota);
        Assert.True(start.ChangeSequence > last);
        Assert.True((await NextAsync(second)).Heartbeat);
        last = start.ChangeSequence;

        // 3. Another forced end, on the server's side: the coordinator restarts (now without heartbeats, for the
        // control below). Its state is reloaded, so the resume point is unknown there: a full snapshot, with the
        // quota of the override made meanwhile.
        suite.Restart("coordinator", new Dictionary<string, string> { ["Coordinator__Watch__HeartbeatInterval"] = "00:10:00" });
        var serverEnd = await Assert.ThrowsAsync<RpcException>(() => NextAsync(second));
        output.WriteLine($"second watch ended: {serverEnd.StatusCode}");
        second.Dispose();
        await suite.WaitReadyAsync(TimeSpan.FromSeconds(90), null, "coordinator");
        var changed = quota == 7 ? 5 : 4;
        await OverrideAsync(quotas, programmeId, traineeId, changed);
        using var third = Watch(quotas, programmeId, last);
        var restart = await NextAsync(third);
        Assert.True(restart.Snapshot);
        Assert.Contains(restart.Trainees, t => t.TraineeId == traineeId && t.Quota == changed);

        // 4. The control: without heartbeats the same idle watch is cut by the route's activity timeout (long before
        // this test would stop waiting).
        var quiet = Stopwatch.StartNew();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var cut = await Assert.ThrowsAsync<RpcException>(() => third.ResponseStream.MoveNext(patience.Token));
        output.WriteLine($"idle watch without heartbeats cut after {quiet.Elapsed}: {cut.StatusCode}");
        Assert.False(patience.IsCancellationRequested, $"not cut within {quiet.Elapsed}");
        Assert.True(quiet.Elapsed >= StreamSuiteFixture.ActivityTimeout - TimeSpan.FromSeconds(2), $"cut after {quiet.Elapsed}");
        channel.Dispose();
    }

    private AsyncServerStreamingCall<ProgrammeProgressUpdate> Watch(QuotaService.QuotaServiceClient quotas, string programmeId, long resumeAfter) =>
        quotas.WatchProgrammeProgress(new WatchProgrammeProgressRequest { ProgrammeId = programmeId, ResumeAfterChangeSequence = resumeAfter },
            ApiKey, DateTime.UtcNow.AddMinutes(5));

    /// <summary>The next message; fails when none comes within twice the heartbeat interval and a margin.</summary>
    private static async Task<ProgrammeProgressUpdate> NextAsync(AsyncServerStreamingCall<ProgrammeProgressUpdate> call)
    {
        using var wait = new CancellationTokenSource(StreamSuiteFixture.ActivityTimeout * 2);
        Assert.True(await call.ResponseStream.MoveNext(wait.Token), "the stream ended without a status");
        return call.ResponseStream.Current;
    }

    /// <summary>
    /// Overrides a quota, retrying with the same request id while the route is still UNAVAILABLE after a restart (the
    /// gateway's health checks take the coordinator back within seconds).
    /// </summary>
    private async Task OverrideAsync(QuotaService.QuotaServiceClient quotas, string programmeId, string traineeId, int quota)
    {
        var request = new OverrideQuotaRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = programmeId,
            TraineeId = traineeId,
            Quota = quota,
            Reason = "stream test: a change made while nobody watched",
        };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await quotas.OverrideQuotaAsync(request, ApiKey, DateTime.UtcNow.AddSeconds(30));
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                output.WriteLine($"override: {e.Status.Detail}; retrying");
                await Task.Delay(500);
            }
        }
    }
}
