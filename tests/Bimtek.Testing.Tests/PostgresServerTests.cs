using Bimtek.Testing.Postgres;
using Npgsql;

namespace Bimtek.Testing.Tests;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task CreatedDatabase_AnswersQueries()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("Smoke-Test");

        var version = await Sql.ScalarAsync<string>(connectionString, "select version()");
        var database = await Sql.ScalarAsync<string>(connectionString, "select current_database()");

        Assert.Contains("PostgreSQL", version);
        Assert.StartsWith("smoke_test_", database);
        Assert.Equal(new NpgsqlConnectionStringBuilder(connectionString).Database, database);
    }

    [Fact]
    public async Task CreatedDatabases_AreDistinctAndIsolated()
    {
        var server = await PostgresServer.GetAsync();
        var first = await server.CreateDatabaseAsync("isolation");
        var second = await server.CreateDatabaseAsync("isolation");

        await Sql.ExecuteAsync(first, "create table marker (id int)");

        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        Assert.True(await Sql.ScalarAsync<bool>(first, "select to_regclass('public.marker') is not null"));
        Assert.False(await Sql.ScalarAsync<bool>(second, "select to_regclass('public.marker') is not null"));
    }

    [Theory]
    [InlineData("Orders", "orders_")]
    [InlineData("9lives; drop", "db_9lives__drop_")]
    [InlineData("", "db__")]
    public async Task CreatedDatabases_HaveSafeNames(string prefix, string expectedStart)
    {
        var server = await PostgresServer.GetAsync();

        var name = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync(prefix)).Database;

        Assert.StartsWith(expectedStart, name);
        Assert.Matches("^[a-z_][a-z0-9_]{0,62}$", name);
    }

    [Fact]
    public async Task LongPrefixes_AreCutToTheIdentifierLimit()
    {
        var server = await PostgresServer.GetAsync();

        var connectionString = await server.CreateDatabaseAsync(new string('x', 100));

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        Assert.Equal(63, name?.Length);
        Assert.Equal(name, await Sql.ScalarAsync<string>(connectionString, "select current_database()"));
    }
}

/// <summary>Stopping the shared server would break any test running beside it, so this collection runs alone.</summary>
[CollectionDefinition(nameof(PostgresServerRestartTests), DisableParallelization = true)]
public sealed class PostgresRestartCollection;

[Collection(nameof(PostgresServerRestartTests))]
public sealed class PostgresServerRestartTests
{
    [Fact]
    public async Task StopAndStart_KeepsData()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("restart");
        // Unpooled, so "the server is down" cannot be masked by a connection idling in the pool.
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        await Sql.ExecuteAsync(unpooled, "create table survivor (name text); insert into survivor values ('kept')");

        if (server.Source != PostgresSource.LocalBinaries)
        {
            // Other sources cannot be restarted in place; the data written above must still be readable.
            await Assert.ThrowsAsync<NotSupportedException>(server.StopAsync);
            Assert.Equal("kept", await Sql.ScalarAsync<string>(unpooled, "select name from survivor"));
            return;
        }

        await server.StopAsync();
        try
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sql.ScalarAsync<int>(unpooled, "select 1"));
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.Equal("kept", await Sql.ScalarAsync<string>(unpooled, "select name from survivor"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(connectionString, "select count(*) from survivor"));
    }
}

/// <summary>One statement on its own connection, so each assertion sees the server as it is now.</summary>
internal static class Sql
{
    internal static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
