using Bimtek.Data.Persistence;
using Bimtek.Testing.Hosting;
using Npgsql;

namespace Bimtek.ServiceDefaults.Tests;

public sealed class ConnectionPoolTests
{
    [Fact]
    public async Task A_pooled_connection_is_reused_without_the_reset_round_trip()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres, "pool-reset");
        var oneConnection = new NpgsqlConnectionStringBuilder(db.PostgresConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var database = Database.ForPostgres(oneConnection);

        // A session setting survives the return to the pool only when Npgsql skips its DISCARD ALL.
        await database.InTransactionAsync(s => s.QueryAsync<string>("SELECT set_config('bimtek.probe', 'kept', false)", null));
        var seen = await database.InTransactionAsync(s => s.QueryAsync<string>("SELECT current_setting('bimtek.probe', true)", null));

        Assert.Equal("kept", Assert.Single(seen));
    }

    [Fact]
    public async Task An_operators_explicit_reset_setting_wins()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres, "pool-reset-explicit");
        var withReset = new NpgsqlConnectionStringBuilder(db.PostgresConnectionString) { MaxPoolSize = 1 }.ConnectionString + ";No Reset On Close=false";
        await using var database = Database.ForPostgres(withReset);

        await database.InTransactionAsync(s => s.QueryAsync<string>("SELECT set_config('bimtek.probe', 'kept', false)", null));
        var seen = await database.InTransactionAsync(s => s.QueryAsync<string>("SELECT current_setting('bimtek.probe', true)", null));

        Assert.True(string.IsNullOrEmpty(Assert.Single(seen)));
        Assert.False(new NpgsqlConnectionStringBuilder(PostgresConnectionString.Tuned(withReset)).NoResetOnClose);
        Assert.True(new NpgsqlConnectionStringBuilder(PostgresConnectionString.Tuned(db.PostgresConnectionString!)).NoResetOnClose);
    }

    [Fact]
    public async Task A_statement_sent_again_on_a_connection_runs_prepared_unless_the_operator_turned_it_off()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Postgres, "pool-prepare");
        var oneConnection = new NpgsqlConnectionStringBuilder(db.PostgresConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        const string Probe = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%bimtek_prepare_probe%'";

        async Task<long> PreparedAfterThreeRunsAsync(string connectionString)
        {
            await using var database = Database.ForPostgres(connectionString);
            for (var i = 0; i < 3; i++)
            {
                await database.InTransactionAsync(s => s.QueryAsync<int>("SELECT 1 AS bimtek_prepare_probe WHERE @n >= 0", new { n = i }));
            }
            return Assert.Single(await database.InTransactionAsync(s => s.QueryAsync<long>(Probe, null)));
        }

        Assert.Equal(1, await PreparedAfterThreeRunsAsync(oneConnection));
        Assert.Equal(0, await PreparedAfterThreeRunsAsync(oneConnection + ";Max Auto Prepare=0"));
    }
}
