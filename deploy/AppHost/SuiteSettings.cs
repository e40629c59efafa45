using Microsoft.Extensions.Configuration;
using Npgsql;

/// <summary>
/// Options of the local run, from the AppHost's configuration (command line, environment or
/// appsettings): <c>--Bimtek:DataDirectory</c>, <c>--Bimtek:Postgres</c> (a server connection
/// string: each service then gets its own database on it, created when missing),
/// <c>--Bimtek:GatewayRestPort</c>, <c>--Bimtek:GatewayGrpcPort</c>.
/// </summary>
internal sealed record SuiteSettings(string DataDirectory, PostgresServerSettings? Postgres, int GatewayRestPort, int GatewayGrpcPort)
{
    public static SuiteSettings From(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var data = configuration["Bimtek:DataDirectory"]
            ?? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "..", "data"));
        var postgres = configuration["Bimtek:Postgres"];
        return new SuiteSettings(
            Path.GetFullPath(data),
            string.IsNullOrWhiteSpace(postgres) ? null : new PostgresServerSettings(postgres),
            configuration.GetValue("Bimtek:GatewayRestPort", 8080),
            configuration.GetValue("Bimtek:GatewayGrpcPort", 8081));
    }
}

internal sealed class PostgresServerSettings(string serverConnectionString)
{
    /// <summary>The connection string of one service's database, created on the server when missing.</summary>
    public string ForDatabase(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres" };
        using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            connection.Open();
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database);
            if (exists.ExecuteScalar() is null)
            {
                // Identifiers cannot be parameters; the name is ours (bimtek_<service>), never user input.
                using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                create.ExecuteNonQuery();
            }
        }
        builder.Database = database;
        return builder.ConnectionString;
    }
}
