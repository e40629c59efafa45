using System.Diagnostics;
using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Data;
using Bimtek.Coordinator.Grains;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.Hosting;
using Bimtek.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Bimtek.Coordinator.Tests.Cluster;

/// <summary>
/// The write path on PostgreSQL: an effect alone is one state write; effects that arrive together on one trainee
/// share writes (the grain coalesces them, issue 19); every effect counts once; what it costs here.
/// </summary>
public sealed class WritePathTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_output_effect_alone_is_one_state_write_and_concurrent_effects_share_writes()
    {
        var (started, settings) = await StartAsync("orleans_writes");
        await using var cluster = started;

        var s = new Scenario(cluster.Client);
        await s.EnrolMany(20);
        var programmeVersion = await VersionsAsync(settings, StorageNames.ProgrammeState);

        const int Sequential = 200;
        await s.Output("t1", 1);
        var clock = Stopwatch.StartNew();
        for (var i = 1; i < Sequential; i++)
        {
            Assert.Equal(EffectOutcome.Applied, (await s.Output("t1", 1)).Outcome);
        }
        var sequentialMs = clock.Elapsed.TotalMilliseconds / (Sequential - 1);

        const int Concurrent = 400;
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(i => s.Output($"t{2 + (i % 19)}", 1)));
        var perSecond = Concurrent / clock.Elapsed.TotalSeconds;

        // t1 took the sequential effects, one awaited write each; the concurrent ones (about 21 per trainee) at most one
        // write each, fewer when they met a write in flight. The programme row untouched by output effects.
        var versions = await VersionsAsync(settings, StorageNames.TraineeQuotaState);
        Assert.Equal(Sequential, versions.Values.Max());
        Assert.InRange(versions.Values.Sum() - Sequential, 19, Concurrent);
        Assert.Equal(programmeVersion.Values.Single(), (await VersionsAsync(settings, StorageNames.ProgrammeState)).Values.Single());
        Assert.Equal(Sequential + Concurrent, (await s.Progress()).Summary.Produced);
        output.WriteLine($"Sequential effects on one trainee grain: {sequentialMs:F2} ms each (one awaited state write + one-way notify).");
        output.WriteLine($"Concurrent effects over 19 trainee grains: {perSecond:F0} effects/s in {versions.Values.Sum() - Sequential} writes.");
    }

    [Fact]
    public async Task Concurrent_effects_and_their_duplicates_on_one_hot_trainee_count_once_each_in_fewer_writes()
    {
        var (started, settings) = await StartAsync("orleans_hot");
        await using var cluster = started;
        var s = new Scenario(cluster.Client);
        await s.EnrolMany(2);
        await s.Output("t1", 1, "first");

        // 300 effects at once, each sent twice (a relay's retry racing its original): 300 applied, 300 duplicates.
        const int Effects = 300;
        var results = await Task.WhenAll(Enumerable.Range(0, Effects)
            .SelectMany(i => new[] { s.Output("t1", 2, $"hot-{i}"), s.Output("t1", 2, $"hot-{i}") }));

        Assert.Equal(Effects, results.Count(r => r.Outcome == EffectOutcome.Applied));
        Assert.Equal(Effects, results.Count(r => r.Outcome == EffectOutcome.Duplicate));
        Assert.Equal(1 + 2 * Effects, (await s.Progress()).Summary.Produced);
        var writes = (await VersionsAsync(settings, StorageNames.TraineeQuotaState)).Values.Max() - 1;
        Assert.InRange(writes, 1, Effects - 1);
        output.WriteLine($"{Effects} concurrent effects (and as many duplicates) on one trainee: {writes} state writes.");
    }

    /// <summary>One silo whose grain state is in a new PostgreSQL database of that name.</summary>
    private static async Task<(InProcessTestCluster Cluster, OrleansStorageSettings Settings)> StartAsync(string database)
    {
        var server = await PostgresServer.GetAsync();
        var settings = new OrleansStorageSettings(OrleansStorageKind.Postgres, await server.CreateDatabaseAsync(database), AdoNetClustering: false);
        await OrleansSchema.EnsureAsync(settings);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddCoordinatorPersistence(settings));
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<IAssistanceRequestSender>(new RecordingAssistanceSender());
            host.Services.AddCoordinatorGrainServices(host.Configuration);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return (cluster, settings);
    }

    private static async Task<Dictionary<string, int>> VersionsAsync(OrleansStorageSettings settings, string stateName)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT grain_id_extension_string || '#' || grain_id_n0 || '#' || grain_id_n1, version FROM orleans_storage WHERE grain_type_string = @state", connection);
        command.Parameters.AddWithValue("state", stateName);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new Dictionary<string, int>();
        while (await reader.ReadAsync())
        {
            versions[reader.GetString(0)] = reader.GetInt32(1);
        }
        return versions;
    }
}
