using System.Reflection;
using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Data;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.Coordinator.Hosting;
using Bimtek.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Bimtek.Coordinator.Tests.Cluster;

/// <summary>
/// Two silos on a real PostgreSQL: ADO.NET membership, grain storage and reminders on the schema
/// this repository creates (the database starts empty).
/// </summary>
public sealed class PostgresClusterTests
{
    private static async Task<InProcessTestCluster> StartAsync(OrleansStorageSettings settings, string clusterId, short silos = 2)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        // InProcessTestClusterOptions.UseTestClusterMembership is not public in 10.4.2: switch the
        // test cluster's in-memory membership off so the silos meet through our ADO.NET tables.
        typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterMembership", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!
            .SetValue(builder.Options, false);
        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = CoordinatorSilo.ServiceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = settings.Invariant;
                o.ConnectionString = settings.ConnectionString;
            });
            silo.AddCoordinatorPersistence(settings);
            // Declare a killed silo dead within seconds rather than the production minute.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<IAssistanceRequestSender>(new RecordingAssistanceSender());
            host.Services.AddCoordinatorGrainServices(host.Configuration);
        });
        builder.ConfigureClient(client => client.UseAdoNetClustering(o =>
        {
            o.Invariant = settings.Invariant;
            o.ConnectionString = settings.ConnectionString;
        }));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Sends an effect like an outbox relay: the same request id until acknowledged.</summary>
    private static async Task<EffectResult> DeliverAsync(Func<Task<EffectResult>> send)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                return await send().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    [Fact]
    public async Task Killing_the_silo_of_a_trainee_mid_stream_counts_every_acknowledged_effect_once_and_state_survives_a_full_restart()
    {
        var server = await PostgresServer.GetAsync();
        var settings = new OrleansStorageSettings(OrleansStorageKind.Postgres, await server.CreateDatabaseAsync("orleans"), AdoNetClustering: true);
        await OrleansSchema.EnsureAsync(settings);
        var clusterId = "kill-" + Guid.NewGuid().ToString("N")[..8];

        var s = default(Scenario)!;
        var acknowledged = 0;
        await using (var cluster = await StartAsync(settings, clusterId))
        {
            // Membership went through our ADO.NET tables (the test cluster's own membership steps aside
            // when a membership table is registered).
            await using (var db = new NpgsqlConnection(settings.ConnectionString))
            {
                await db.OpenAsync();
                await using var members = new NpgsqlCommand("SELECT count(*) FROM orleans_membership WHERE deployment_id = @id AND status = 3", db);
                members.Parameters.AddWithValue("id", clusterId);
                Assert.Equal(2L, await members.ExecuteScalarAsync());
            }
            s = new Scenario(cluster.Client);
            await s.EnrolMany(3);
            var traineeGrain = s.Trainee("t2");
            await traineeGrain.GetCounters();

            for (var i = 0; i < 40; i++)
            {
                if (i == 15)
                {
                    Assert.True(cluster.TryGetGrainContext(traineeGrain.GetGrainId(), out var context));
                    var host = cluster.Silos.Single(silo => silo.SiloAddress.Equals(context!.Address.SiloAddress));
                    await cluster.KillSiloAsync(host);
                }
                var id = Scenario.Id();
                // Each send may also be applied and then lost on the way back: the retry must dedupe.
                var result = await DeliverAsync(() => s.Output("t2", 1, id));
                Assert.True(result.IsSuccess, result.Outcome.ToString());
                acknowledged++;
            }
            Assert.Equal(acknowledged, (await s.Trainee("t2").GetCounters()).Produced);
            await cluster.StopAllSilosAsync();
        }

        // The whole cluster stopped and started again on the same database.
        await using (var cluster = await StartAsync(settings, clusterId, silos: 1))
        {
            var again = new Scenario(cluster.Client, s.ProgrammeId) { Info = s.Info };
            var progress = await again.Progress();
            Assert.Equal(acknowledged, progress.Trainees.Single(t => t.TraineeId == "t2").Counters.Produced);
            Assert.Equal(new[] { 167, 167, 166 }, progress.Trainees.Select(t => t.Quota));
        }

        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE @grain AND reminder_name = 'daily-pace'", connection);
        command.Parameters.AddWithValue("grain", $"%{GrainKeys.Programme(s.ProgrammeId)}%");
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }
}
