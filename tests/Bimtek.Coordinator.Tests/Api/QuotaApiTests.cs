using System.Net;
using Bimtek.Coordinator.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;

namespace Bimtek.Coordinator.Tests.Api;

/// <summary>The gRPC and REST API against the running coordinator host, on SQLite and on PostgreSQL.</summary>
public sealed class QuotaApiTests
{
    private static readonly Google.Type.Date _day10 = new() { Year = 2026, Month = 3, Day = 10 };

    [Theory, BothDatabases]
    public async Task Effects_progress_errors_and_a_restart_on_an_empty_database(DatabaseKind kind)
    {
        using var database = await TestDatabase.CreateAsync(kind, "coordinator");
        var r = new Requests();
        await using (var host = CoordinatorHost.Start(database, configureServices: FixedTraineeDirectory.Register(("alice", Requests.T(1)), ("budi", Requests.T(2)))))
        {
            var relay = host.Client<QuotaInternalService.QuotaInternalServiceClient>(TestTokens.Service());
            await relay.ApplyProgrammeChangeAsync(new ApplyProgrammeChangeRequest { RequestId = Requests.Id(), Programme = r.Snapshot() });
            for (var i = 1; i <= 7; i++)
            {
                await relay.ApplyEnrolmentChangeAsync(r.Enrol(Requests.T(i), i));
            }
            var output = r.Output(Requests.T(1), 9);
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => relay.ApplyOutputRecordedAsync(output).ResponseAsync));
            await relay.ApplyInspectionResultAsync(r.Inspection(Requests.T(1), 8, 1));

            var office = host.Client<QuotaService.QuotaServiceClient>(TestTokens.Operator());
            var progress = await office.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = r.ProgrammeId, AsOfDay = _day10 });
            Assert.Equal(new[] { 9, 9, 9, 9, 8, 8, 8 }, progress.Trainees.Select(t => t.Quota));
            Assert.Equal((9, 8, 1), (progress.Summary.Produced, progress.Summary.Accepted, progress.Summary.Rejected));
            Assert.Equal(3, progress.Trainees[0].ExpectedByToday);

            var overridden = await office.OverrideQuotaAsync(new OverrideQuotaRequest
            {
                RequestId = Requests.Id(),
                ProgrammeId = r.ProgrammeId,
                TraineeId = Requests.T(7),
                Quota = 18,
                Reason = "experienced tailor",
            });
            Assert.Equal(new[] { 7, 7, 7, 7, 7, 7, 18 }, overridden.Trainees.Select(t => t.Quota));

            // Errors.
            var notEnrolled = await Assert.ThrowsAsync<RpcException>(() => relay.ApplyOutputRecordedAsync(r.Output(Requests.T(99), 1)).ResponseAsync);
            Assert.Equal(StatusCode.FailedPrecondition, notEnrolled.StatusCode);
            var unknown = await Assert.ThrowsAsync<RpcException>(() => relay.ApplyOutputRecordedAsync(new Requests().Output(Requests.T(1), 1)).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
            var negative = r.Output(Requests.T(1), 1);
            negative.Units = -3;
            Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => relay.ApplyOutputRecordedAsync(negative).ResponseAsync)).StatusCode);
            var tooBig = await Assert.ThrowsAsync<RpcException>(() => office.OverrideQuotaAsync(new OverrideQuotaRequest
            {
                RequestId = Requests.Id(),
                ProgrammeId = r.ProgrammeId,
                TraineeId = Requests.T(1),
                Quota = 61,
                Reason = "x",
            }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, tooBig.StatusCode);
            // Below the range the message states the same effective range as above it.
            var belowZero = await Assert.ThrowsAsync<RpcException>(() => office.OverrideQuotaAsync(new OverrideQuotaRequest
            {
                RequestId = Requests.Id(),
                ProgrammeId = r.ProgrammeId,
                TraineeId = Requests.T(1),
                Quota = -1,
                Reason = "x",
            }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, belowZero.StatusCode);
            Assert.Equal("Invalid quota: must be between 0 and the programme's target (60)", tooBig.Status.Detail);
            Assert.Equal(tooBig.Status.Detail, belowZero.Status.Detail);
            Assert.Equal("VALUE_OUT_OF_RANGE", belowZero.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Reason);
            var reused = output.Clone();
            reused.Units = 10;
            Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => relay.ApplyOutputRecordedAsync(reused).ResponseAsync)).StatusCode);
            var officeAsRelay = host.Client<QuotaInternalService.QuotaInternalServiceClient>(TestTokens.Operator());
            var officeCannotRelay = await Assert.ThrowsAsync<RpcException>(() => officeAsRelay.ApplyOutputRecordedAsync(r.Output(Requests.T(1), 1)).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, officeCannotRelay.StatusCode);

            // A trainee reads only their own progress: participants says which trainee the token's subject is.
            var trainee = host.Client<QuotaService.QuotaServiceClient>(TestTokens.Mint("alice", "trainee"));
            var own = await trainee.GetTraineeProgressAsync(new GetTraineeProgressRequest { ProgrammeId = r.ProgrammeId, TraineeId = Requests.T(1) });
            Assert.Equal(30, own.Days.Count);
            Assert.Equal(9, own.Days[1].Produced);
            Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() =>
                trainee.GetTraineeProgressAsync(new GetTraineeProgressRequest { ProgrammeId = r.ProgrammeId, TraineeId = Requests.T(2) }).ResponseAsync)).StatusCode);
            var subjectIsNotAnId = host.Client<QuotaService.QuotaServiceClient>(TestTokens.Mint(Requests.T(2), "trainee"));
            Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() =>
                subjectIsNotAnId.GetTraineeProgressAsync(new GetTraineeProgressRequest { ProgrammeId = r.ProgrammeId, TraineeId = Requests.T(2) }).ResponseAsync)).StatusCode);

            // REST by transcoding, and readiness (silo active, storage reachable).
            using var http = host.CreateHttpClient(TestTokens.Operator());
            var rest = await http.GetAsync($"/api/v1/quotas/programmes/{r.ProgrammeId}/progress");
            Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
            Assert.Contains("\"targetQuantity\":60", await rest.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/quotas/programmes/{Guid.NewGuid()}/progress")).StatusCode);
            // A malformed id is bad input (400, reason MALFORMED_ID, the field by its JSON name), as on every other service.
            using var malformed = await http.GetAsync($"/api/v1/quotas/programmes/nope-{Guid.NewGuid():N}/progress");
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            var malformedBody = await malformed.Content.ReadAsStringAsync();
            Assert.Contains("\"reason\":\"MALFORMED_ID\"", malformedBody);
            Assert.Contains("\"field\":\"programmeId\"", malformedBody);
            var ready = await host.CreateHttpClient().GetAsync("/readyz");
            Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        }

        // Restart on the same database: state, override and dedup survive.
        await using (var host = CoordinatorHost.Start(database))
        {
            var office = host.Client<QuotaService.QuotaServiceClient>(TestTokens.Operator());
            var progress = await office.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = r.ProgrammeId });
            Assert.Equal(new[] { 7, 7, 7, 7, 7, 7, 18 }, progress.Trainees.Select(t => t.Quota));
            Assert.Equal(9, progress.Summary.Produced);
        }
    }

    [Theory, BothDatabases]
    public async Task The_live_stream_sends_a_snapshot_then_changes(DatabaseKind kind)
    {
        using var database = await TestDatabase.CreateAsync(kind, "coordinator_watch");
        var r = new Requests();
        await using var host = CoordinatorHost.Start(database);
        var relay = host.Client<QuotaInternalService.QuotaInternalServiceClient>(TestTokens.Service());
        await relay.ApplyEnrolmentChangeAsync(r.Enrol(Requests.T(1), 1, target: 500));
        await relay.ApplyEnrolmentChangeAsync(r.Enrol(Requests.T(2), 2, target: 500));

        var watcher = host.Client<QuotaService.QuotaServiceClient>(TestTokens.Mint("instructor-1", "instructor"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = watcher.WatchProgrammeProgress(new WatchProgrammeProgressRequest { ProgrammeId = r.ProgrammeId }, cancellationToken: cancel.Token);
        Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
        var snapshot = call.ResponseStream.Current;
        Assert.True(snapshot.Snapshot);
        Assert.Equal(1, snapshot.Sequence);
        Assert.Equal(new[] { 250, 250 }, snapshot.Trainees.Select(t => t.Quota));

        await relay.ApplyOutputRecordedAsync(r.Output(Requests.T(2), 4));
        Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
        var update = call.ResponseStream.Current;
        Assert.False(update.Snapshot);
        Assert.Equal(2, update.Sequence);
        Assert.Equal((Requests.T(2), 4), (update.Trainees.Single().TraineeId, update.Trainees.Single().Produced));
        Assert.Equal(4, update.Summary.Produced);

        // Leaving costs nothing: the call ends and later effects still apply.
        await cancel.CancelAsync();
        await relay.ApplyOutputRecordedAsync(r.Output(Requests.T(2), 1));
        var progress = await host.Client<QuotaService.QuotaServiceClient>(TestTokens.Operator())
            .GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = r.ProgrammeId });
        Assert.Equal(5, progress.Summary.Produced);
    }
}
