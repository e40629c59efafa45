using System.Diagnostics;
using Bimtek.Coordinator.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;

namespace Bimtek.Coordinator.Tests.Api;

/// <summary>
/// The live progress stream against the running coordinator host: heartbeats while idle, updates with only the rows
/// that changed, and a resume by change sequence (catch-up of what changed while nobody watched; a full snapshot
/// from a point the programme does not know).
/// </summary>
public sealed class WatchTests
{
    [Fact]
    public async Task An_idle_stream_beats_and_a_resumed_one_catches_up_with_only_what_changed_meanwhile()
    {
        using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "coordinator_watch_resume");
        var r = new Requests();
        await using var host = CoordinatorHost.Start(database, new Dictionary<string, string?> { ["Coordinator:Watch:HeartbeatInterval"] = "00:00:01" });
        var relay = host.Client<QuotaInternalService.QuotaInternalServiceClient>(TestTokens.Service());
        foreach (var i in new[] { 1, 2, 3 })
        {
            await relay.ApplyEnrolmentChangeAsync(r.Enrol(Requests.T(i), i, target: 300));
        }
        var reader = host.Client<QuotaService.QuotaServiceClient>(TestTokens.Operator());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        long last;
        using (var call = reader.WatchProgrammeProgress(new WatchProgrammeProgressRequest { ProgrammeId = r.ProgrammeId }, cancellationToken: cancel.Token))
        {
            var snapshot = await NextAsync(call, cancel.Token);
            Assert.True(snapshot.Snapshot);
            Assert.Equal(3, snapshot.Trainees.Count);

            // Idle: heartbeats, carrying nothing but the sequences.
            var beat = await NextAsync(call, cancel.Token);
            Assert.True(beat.Heartbeat);
            Assert.Null(beat.Summary);
            Assert.Empty(beat.Trainees);
            Assert.Equal((2L, snapshot.ChangeSequence), (beat.Sequence, beat.ChangeSequence));

            // An output of one trainee: only that row.
            await relay.ApplyOutputRecordedAsync(r.Output(Requests.T(2), 4));
            var update = await NextChangeAsync(call, cancel.Token);
            Assert.Equal((Requests.T(2), 4), (update.Trainees.Single().TraineeId, update.Trainees.Single().Produced));
            Assert.True(update.ChangeSequence > snapshot.ChangeSequence);
            last = update.ChangeSequence;
        }

        // While nobody watches, trainee 3 reports twice.
        await relay.ApplyOutputRecordedAsync(r.Output(Requests.T(3), 2));
        await relay.ApplyOutputRecordedAsync(r.Output(Requests.T(3), 1));
        await WaitProducedAsync(reader, r.ProgrammeId, 7, cancel.Token);

        using (var resumed = reader.WatchProgrammeProgress(
            new WatchProgrammeProgressRequest { ProgrammeId = r.ProgrammeId, ResumeAfterChangeSequence = last }, cancellationToken: cancel.Token))
        {
            var catchUp = await NextAsync(resumed, cancel.Token);
            Assert.False(catchUp.Snapshot);
            Assert.False(catchUp.Heartbeat);
            Assert.Equal((Requests.T(3), 3), (catchUp.Trainees.Single().TraineeId, catchUp.Trainees.Single().Produced));
            Assert.Equal(7, catchUp.Summary.Produced);
            Assert.True(catchUp.ChangeSequence > last);
            Assert.True((await NextAsync(resumed, cancel.Token)).Heartbeat);

            // From the point just reached nothing changed: an empty catch-up.
            using var again = reader.WatchProgrammeProgress(
                new WatchProgrammeProgressRequest { ProgrammeId = r.ProgrammeId, ResumeAfterChangeSequence = catchUp.ChangeSequence }, cancellationToken: cancel.Token);
            var nothing = await NextAsync(again, cancel.Token);
            Assert.False(nothing.Snapshot || nothing.Heartbeat);
            Assert.Empty(nothing.Trainees);
            Assert.Equal(catchUp.ChangeSequence, nothing.ChangeSequence);
        }

        // A point the programme never handed out: a full snapshot.
        using var unknown = reader.WatchProgrammeProgress(
            new WatchProgrammeProgressRequest { ProgrammeId = r.ProgrammeId, ResumeAfterChangeSequence = 12345 }, cancellationToken: cancel.Token);
        var full = await NextAsync(unknown, cancel.Token);
        Assert.True(full.Snapshot);
        Assert.Equal(3, full.Trainees.Count);

        // A negative point is bad input.
        using var negative = reader.WatchProgrammeProgress(
            new WatchProgrammeProgressRequest { ProgrammeId = r.ProgrammeId, ResumeAfterChangeSequence = -1 }, cancellationToken: cancel.Token);
        var error = await Assert.ThrowsAsync<RpcException>(() => negative.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private static async Task<ProgrammeProgressUpdate> NextAsync(AsyncServerStreamingCall<ProgrammeProgressUpdate> call, CancellationToken cancellationToken)
    {
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call.ResponseStream.Current;
    }

    private static async Task<ProgrammeProgressUpdate> NextChangeAsync(AsyncServerStreamingCall<ProgrammeProgressUpdate> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            var update = await NextAsync(call, cancellationToken);
            if (!update.Heartbeat)
            {
                return update;
            }
        }
    }

    /// <summary>Waits until the programme grain has heard of the trainees' counters (pushed one-way after their writes).</summary>
    private static async Task WaitProducedAsync(QuotaService.QuotaServiceClient reader, string programmeId, int produced, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while ((await reader.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = programmeId }, cancellationToken: cancellationToken))
            .Summary.Produced != produced)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"produced did not reach {produced}");
            await Task.Delay(50, cancellationToken);
        }
    }
}
