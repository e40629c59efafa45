using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Data.Retention;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Tests.Probe;
using Bimtek.Testing.Hosting;
using Bimtek.Testing.V1;
using Dapper;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.ServiceDefaults.Tests;

public sealed class RetentionTests
{
    private static readonly Dictionary<string, string?> _batchesOfTen = new()
    {
        ["Retention:BatchSize"] = "10",
        ["Retention:PauseBetweenBatches"] = "00:00:00",
    };

    [Theory, BothDatabases]
    public async Task Old_keys_and_delivered_outbox_rows_are_pruned_in_small_batches_and_everything_else_is_kept(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "retention");
        await using var probe = await ProbeHosts.StartProbeAsync(db, new Downstream().Route("receiver", () => new UnreachableHandler()), _batchesOfTen);
        var job = probe.Services.GetRequiredService<RetentionJob>();
        var metrics = probe.Services.GetRequiredService<RetentionMetrics>();
        await WaitUntilAsync(() => Task.FromResult(metrics.LastRun is not null)); // the start-up run is over
        var database = probe.Services.GetRequiredService<Database>();
        var now = DateTimeOffset.UtcNow;
        await PlantKeysAsync(database, 25, now.AddDays(-31));
        await PlantKeysAsync(database, 3, now.AddDays(-29));
        await PlantOutboxAsync(database, 25, "delivered", now.AddDays(-8));
        await PlantOutboxAsync(database, 2, "delivered", now.AddDays(-6));
        await PlantOutboxAsync(database, 1, "pending", now.AddDays(-60));
        await PlantOutboxAsync(database, 1, "parked", now.AddDays(-60));
        using var pruned = new PrunedRowsListener(probe.Services.GetRequiredService<IMeterFactory>());

        var run = await job.PruneOnceAsync(CancellationToken.None);

        Assert.Equal(25, run.IdempotencyKeys);
        Assert.Equal(25, run.OutboxMessages);
        Assert.Equal(6, run.Batches); // 10 + 10 + 5 per table
        Assert.Equal(3, await CountAsync(database, "SELECT COUNT(*) FROM idempotency_keys"));
        Assert.Equal(2, await CountAsync(database, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'delivered'"));
        Assert.Equal(1, await CountAsync(database, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending'"));
        Assert.Equal(1, await CountAsync(database, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'parked'"));
        Assert.Equal(25, pruned.Total(RetentionMetrics.IdempotencyKeysTable));
        Assert.Equal(25, pruned.Total(RetentionMetrics.OutboxMessagesTable));
        Assert.Equal(run, metrics.LastRun);

        var again = await job.PruneOnceAsync(CancellationToken.None);
        Assert.Equal(0, again.IdempotencyKeys + again.OutboxMessages);
    }

    [Theory, BothDatabases]
    public async Task The_background_job_prunes_on_its_interval(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "retention-loop");
        await using var probe = await ProbeHosts.StartProbeAsync(
            db,
            new Downstream().Route("receiver", () => new UnreachableHandler()),
            new Dictionary<string, string?>(_batchesOfTen) { ["Retention:Interval"] = "00:00:00.200" });
        var database = probe.Services.GetRequiredService<Database>();
        await PlantKeysAsync(database, 15, DateTimeOffset.UtcNow.AddDays(-40));
        await PlantOutboxAsync(database, 15, "delivered", DateTimeOffset.UtcNow.AddDays(-40));

        await WaitUntilAsync(async () =>
            await CountAsync(database, "SELECT COUNT(*) FROM idempotency_keys") == 0
            && await CountAsync(database, "SELECT COUNT(*) FROM outbox_messages") == 0);
    }

    [Theory, BothDatabases]
    public async Task A_replay_after_the_key_window_is_refused_once_its_key_is_pruned_and_applies_nothing(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "retention-replay");
        await using var probe = await ProbeHosts.StartProbeAsync(
            db,
            new Downstream().Route("receiver", () => new UnreachableHandler()),
            new Dictionary<string, string?> { ["Retention:IdempotencyKeyWindow"] = "00:00:05" });
        var client = probe.Client<ProbeService.ProbeServiceClient>(TestTokens.Operator());
        var executor = probe.Services.GetRequiredService<IdempotentExecutor>();
        await client.CreateNoteAsync(new CreateNoteRequest { RequestId = Guid.NewGuid().ToString(), Text = "warm-up", Count = 1 });
        var id = Guid.CreateVersion7();
        var request = new CreateNoteRequest { RequestId = id.ToString(), Text = "masks", Count = 5 };
        var first = await client.CreateNoteAsync(request);
        Assert.Equal(2, first.Sequence);

        // Past the window but not yet pruned: the stored first answer is still given.
        await WaitUntilAsync(() => Task.FromResult(executor.IsPastReplayWindow(id)));
        Assert.Equal(first, await client.CreateNoteAsync(request));

        // Pruned (its key row was stamped a moment after the id's time, so it may take a second run): refused, applies nothing.
        var database = probe.Services.GetRequiredService<Database>();
        var job = probe.Services.GetRequiredService<RetentionJob>();
        await WaitUntilAsync(async () =>
        {
            await job.PruneOnceAsync(CancellationToken.None);
            return await CountAsync(database, "SELECT COUNT(*) FROM idempotency_keys") == 0;
        });
        var error = await Assert.ThrowsAsync<RpcException>(() => client.CreateNoteAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal(ErrorReasons.RequestIdReused, status.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains(status.GetDetail<BadRequest>()!.FieldViolations, v => v.Field == "request_id" && v.Description.Contains("replay window"));
        Assert.Equal(2, await CountAsync(database, "SELECT COUNT(*) FROM notes"));
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM idempotency_keys"));

        // A fresh id is applied as usual.
        var next = await client.CreateNoteAsync(new CreateNoteRequest { RequestId = Guid.CreateVersion7().ToString(), Text = "masks", Count = 5 });
        Assert.Equal(3, next.Sequence);
    }

    [Fact]
    public void Only_a_uuid_v7_older_than_the_window_counts_as_past_it()
    {
        var executor = new IdempotentExecutor(
            Database.ForSqlite(Path.Combine(Path.GetTempPath(), $"unused-{Guid.NewGuid():N}.db")),
            Microsoft.Extensions.Options.Options.Create(new RetentionOptions { IdempotencyKeyWindow = TimeSpan.FromDays(30) }),
            TimeProvider.System);

        Assert.True(executor.IsPastReplayWindow(Guid.CreateVersion7(DateTimeOffset.UtcNow.AddDays(-31))));
        Assert.False(executor.IsPastReplayWindow(Guid.CreateVersion7(DateTimeOffset.UtcNow.AddDays(-29))));
        Assert.False(executor.IsPastReplayWindow(Guid.CreateVersion7()));
        Assert.False(executor.IsPastReplayWindow(Guid.NewGuid())); // v4 carries no time
    }

    private static Task PlantKeysAsync(Database database, int count, DateTimeOffset createdAt) =>
        database.InTransactionAsync(async s =>
        {
            var created = createdAt.ToUnixTimeMilliseconds();
            for (var i = 0; i < count; i++)
            {
                await s.ExecuteAsync(
                    "INSERT INTO idempotency_keys (request_id, operation, request_hash, response, created_at) VALUES (@id, 'op', 'hash', @response, @created)",
                    new { id = Guid.NewGuid().ToString(), response = new byte[] { 1 }, created });
            }
        });

    private static Task PlantOutboxAsync(Database database, int count, string status, DateTimeOffset at) =>
        database.InTransactionAsync(async s =>
        {
            var ms = at.ToUnixTimeMilliseconds();
            for (var i = 0; i < count; i++)
            {
                await s.ExecuteAsync(
                    "INSERT INTO outbox_messages (id, destination, message_type, payload, status, created_at, next_attempt_at, delivered_at) " +
                    "VALUES (@id, 'nowhere', 'type', @payload, @status, @ms, @next, @delivered)",
                    new
                    {
                        id = Guid.CreateVersion7(at).ToString(),
                        payload = new byte[] { 1 },
                        status,
                        ms,
                        next = status == "pending" ? long.MaxValue / 2 : ms, // never due: the unreachable relay leaves it alone
                        delivered = status == "delivered" ? ms : (long?)null,
                    });
            }
        });

    private static async Task<long> CountAsync(Database database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met within 30 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>Sums <c>bimtek.retention.pruned_rows</c> by table while it lives.</summary>
    private sealed class PrunedRowsListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _totals = new();

        public PrunedRowsListener(IMeterFactory hostMeters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                // Only this host's meter: hosts of tests running beside this one prune too.
                if (instrument.Meter.Scope == hostMeters && instrument.Name == "bimtek.retention.pruned_rows")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "table")
                    {
                        _totals.AddOrUpdate((string)tag.Value!, value, (_, total) => total + value);
                    }
                }
            });
            _listener.Start();
        }

        public long Total(string table) => _totals.GetValueOrDefault(table);

        public void Dispose() => _listener.Dispose();
    }
}
