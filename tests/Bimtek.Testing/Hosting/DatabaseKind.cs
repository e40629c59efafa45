using System.Reflection;
using Bimtek.Testing.Postgres;
using Xunit.Sdk;

namespace Bimtek.Testing.Hosting;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Runs a theory once on SQLite and once on a real PostgreSQL:
/// <c>[Theory, BothDatabases] public async Task X(DatabaseKind db)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BothDatabasesAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        [[DatabaseKind.Sqlite], [DatabaseKind.Postgres]];
}

/// <summary>A fresh, empty database of either kind, as host configuration.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _directory;

    private TestDatabase(DatabaseKind kind, IReadOnlyDictionary<string, string?> configuration, string? directory, string? connectionString)
    {
        Kind = kind;
        Configuration = configuration;
        _directory = directory;
        PostgresConnectionString = connectionString;
    }

    public DatabaseKind Kind { get; }

    /// <summary>Entries to add to a host's configuration so it uses this database.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; }

    /// <summary>Set for PostgreSQL databases, for tests that look at rows directly.</summary>
    public string? PostgresConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind, string name)
    {
        if (kind == DatabaseKind.Postgres)
        {
            var server = await PostgresServer.GetAsync();
            var connectionString = await server.CreateDatabaseAsync(name);
            return new TestDatabase(kind, new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString }, null, connectionString);
        }
        var directory = Path.Combine(Path.GetTempPath(), "bimtek-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return new TestDatabase(kind, new Dictionary<string, string?> { ["Database:DataDirectory"] = directory }, directory, null);
    }

    public void Dispose()
    {
        if (_directory is null)
        {
            return;
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment after the host stopped; temp is cleaned eventually.
        }
    }
}
