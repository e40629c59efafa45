using Bimtek.Data.Persistence;
using Microsoft.Data.Sqlite;

namespace Bimtek.Coordinator.Hosting;

public enum OrleansStorageKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the silo keeps grain state, reminders and (on PostgreSQL, when clustered) membership.
/// <c>ConnectionStrings:Orleans</c>, else <c>ConnectionStrings:Postgres</c> → PostgreSQL; otherwise
/// an SQLite file <c>{Database:DataDirectory}/coordinator-orleans.db</c>.
/// <c>Coordinator:Clustering</c> = <c>Localhost</c> (default, one silo) or <c>AdoNet</c> (PostgreSQL only). The key is
/// ours, not under <c>Orleans:</c>: Orleans reads an <c>Orleans:Clustering</c> section itself, as a provider to load.
/// </summary>
public sealed record OrleansStorageSettings(OrleansStorageKind Kind, string ConnectionString, bool AdoNetClustering)
{
    public const string SqliteInvariant = "Microsoft.Data.Sqlite";
    public const string PostgresInvariant = "Npgsql";

    public string Invariant => Kind == OrleansStorageKind.Postgres ? PostgresInvariant : SqliteInvariant;

    public const string ClusteringKey = "Coordinator:Clustering";

    public static bool AdoNetClusteringFrom(IConfiguration configuration) =>
        string.Equals(configuration[ClusteringKey], "AdoNet", StringComparison.OrdinalIgnoreCase);

    private static string? ConfiguredPostgres(IConfiguration configuration) =>
        configuration.GetConnectionString("Orleans") is { Length: > 0 } orleans
            ? orleans
            : configuration.GetConnectionString(PersistenceExtensions.PostgresConnectionName);

    /// <param name="adoNetClustering">The clustering switch as read at registration (the host hides it from Orleans afterwards); null reads it now.</param>
    public static OrleansStorageSettings From(IConfiguration configuration, bool? adoNetClustering = null)
    {
        var postgres = ConfiguredPostgres(configuration);
        adoNetClustering ??= AdoNetClusteringFrom(configuration);
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            return new OrleansStorageSettings(OrleansStorageKind.Postgres, PostgresConnectionString.Tuned(postgres), adoNetClustering.Value);
        }
        if (adoNetClustering.Value)
        {
            throw new InvalidOperationException($"{ClusteringKey}=AdoNet needs PostgreSQL: set ConnectionStrings:Orleans or ConnectionStrings:Postgres.");
        }
        var directory = configuration["Database:DataDirectory"] ?? "data";
        Directory.CreateDirectory(directory);
        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "coordinator-orleans.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        return new OrleansStorageSettings(OrleansStorageKind.Sqlite, sqlite, false);
    }

    public static OrleansStorageSettings ForSqliteFile(string path) =>
        new(OrleansStorageKind.Sqlite, new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString(), false);
}
