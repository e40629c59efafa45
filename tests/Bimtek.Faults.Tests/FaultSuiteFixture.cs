using Bimtek.Suite;
using Bimtek.Testing.Hosting;

namespace Bimtek.Faults.Tests;

/// <summary>
/// One suite for all the fault tests (starting one costs most of a minute on a loaded 2-core machine): on
/// PostgreSQL — this test assembly's own server, so stopping it disturbs nobody else — with the coordinator as
/// two silos of one Orleans cluster. Each fault test sets up its own programme, so its counts are its own.
/// </summary>
public sealed class FaultSuiteFixture : IAsyncLifetime
{
    /// <summary>
    /// Operational settings, not correctness margins: relays and production's reconciler retry at most every
    /// few seconds (instead of minutes of back-off) so a drain after a 10 s outage takes seconds. Leases and
    /// deadlines keep their defaults.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RelayEnvironment { get; } = new Dictionary<string, string>
    {
        ["Outbox__MaxBackoff"] = "00:00:03",
        ["Production__ReconcilerPeriod"] = "00:00:02",
        ["Production__MaxRetryBackoff"] = "00:00:05",
    };

    private readonly StringWriter _startLog = new();

    public SuiteProcesses Suite { get; private set; } = null!;

    public string StartLog => _startLog.ToString();

    public async Task InitializeAsync() =>
        Suite = await SuiteProcesses.StartAsync(DatabaseKind.Postgres, _startLog,
            new SuiteOptions { CoordinatorSilos = 2, Environment = RelayEnvironment });

    public async Task DisposeAsync()
    {
        if (Suite is not null)
        {
            await Suite.DisposeAsync();
        }
    }
}

/// <summary>The fault tests and the restore drill share one suite (starting one costs most of a minute).</summary>
[CollectionDefinition(Name)]
public sealed class FaultSuiteCollection : ICollectionFixture<FaultSuiteFixture>
{
    public const string Name = "fault suite";
}
