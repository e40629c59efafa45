using System.Reflection;
using Bimtek.Coordinator.Grains;
using Bimtek.Coordinator.Grains.State;
using Bimtek.Coordinator.Tests.Api;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Bimtek.Coordinator.Tests.Storage;

/// <summary>
/// The ADO.NET provider's known pitfalls, against our schema on both engines: state rows are keyed
/// by state name and grain key, not grain type (dotnet/orleans#9737); and the first write of a
/// state must be decided by a unique key, not a check-then-insert.
/// </summary>
public sealed class StoragePitfallTests
{
    [Fact]
    public void Every_grain_type_has_its_own_state_name()
    {
        var names = typeof(ProgrammeGrain).Assembly.GetTypes()
            .Where(t => typeof(Grain).IsAssignableFrom(t))
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()))
            .Select(p => p.GetCustomAttribute<PersistentStateAttribute>()?.StateName)
            .OfType<string>()
            .ToList();
        Assert.Equal(2, names.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory, BothDatabases]
    public async Task Two_grain_types_with_the_same_key_keep_distinct_state_and_concurrent_first_writes_have_one_winner(DatabaseKind kind)
    {
        using var database = await TestDatabase.CreateAsync(kind, "coordinator_storage");
        await using var host = CoordinatorHost.Start(database);
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Provider);
        var key = "k-" + Guid.NewGuid().ToString("N")[..8];

        // Distinct state names: the same key under two grain types stays apart.
        var programmeId = GrainId.Create("programme", key);
        var traineeId = GrainId.Create("traineequota", key);
        await storage.WriteStateAsync(StorageNames.ProgrammeState, programmeId, new GrainState<TraineeQuotaState>(new TraineeQuotaState { Produced = 11 }));
        await storage.WriteStateAsync(StorageNames.TraineeQuotaState, traineeId, new GrainState<TraineeQuotaState>(new TraineeQuotaState { Produced = 22 }));
        var a = new GrainState<TraineeQuotaState>();
        var b = new GrainState<TraineeQuotaState>();
        await storage.ReadStateAsync(StorageNames.ProgrammeState, programmeId, a);
        await storage.ReadStateAsync(StorageNames.TraineeQuotaState, traineeId, b);
        Assert.Equal((11, 22), (a.State!.Produced, b.State!.Produced));

        // The pitfall itself: with the stock ADO.NET provider (PostgreSQL) the same state name under
        // another grain type hits the same row; SQLiteGrainStorage keys by the full grain id.
        var otherType = GrainId.Create("othertype", key);
        var clash = new GrainState<TraineeQuotaState>();
        await storage.ReadStateAsync(StorageNames.ProgrammeState, otherType, clash);
        Assert.Equal(kind == DatabaseKind.Postgres, clash.RecordExists);

        // Concurrent first writes: exactly one wins, the other gets a version conflict.
        for (var round = 0; round < 10; round++)
        {
            var id = GrainId.Create("traineequota", $"race-{round}-{key}");
            var writes = Enumerable.Range(0, 2).Select(i => Task.Run(() =>
                storage.WriteStateAsync(StorageNames.TraineeQuotaState, id, new GrainState<TraineeQuotaState>(new TraineeQuotaState { Produced = i + 1 })))).ToList();
            var outcomes = await Task.WhenAll(writes.Select(async w =>
            {
                try
                {
                    await w;
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            }));
            Assert.Single(outcomes, won => won);
        }

        // A stale ETag is refused, a current one accepted.
        var current = new GrainState<TraineeQuotaState>();
        await storage.ReadStateAsync(StorageNames.TraineeQuotaState, traineeId, current);
        var stale = new GrainState<TraineeQuotaState>(current.State, current.ETag);
        current.State!.Produced = 23;
        await storage.WriteStateAsync(StorageNames.TraineeQuotaState, traineeId, current);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StorageNames.TraineeQuotaState, traineeId, stale));
    }
}
