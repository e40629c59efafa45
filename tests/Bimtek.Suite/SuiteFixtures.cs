using Bimtek.Testing.Hosting;

namespace Bimtek.Suite;

/// <summary>Starts the suite once for a test class and stops it after the class's last test.</summary>
public abstract class SuiteFixture(DatabaseKind database) : IAsyncLifetime
{
    private readonly StringWriter _startLog = new();

    public SuiteProcesses Suite { get; private set; } = null!;

    public DatabaseKind Database { get; } = database;

    /// <summary>What happened while starting (ports, pids, readiness times).</summary>
    public string StartLog => _startLog.ToString();

    public async Task InitializeAsync() => Suite = await SuiteProcesses.StartAsync(Database, _startLog);

    public async Task DisposeAsync()
    {
        if (Suite is not null)
        {
            await Suite.DisposeAsync();
        }
    }
}

public sealed class SqliteSuiteFixture() : SuiteFixture(DatabaseKind.Sqlite);

public sealed class PostgresSuiteFixture() : SuiteFixture(DatabaseKind.Postgres);
