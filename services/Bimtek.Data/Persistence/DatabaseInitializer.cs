using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bimtek.Data.Persistence;

/// <summary>Completed once the schema is current; the relay and readiness wait for it.</summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    public void MarkReady() => _ready.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);
}

/// <summary>
/// Brings the schema up to date before the host serves calls (hosted services start before the
/// server). A database that is not reachable yet is retried, so compose can start everything at once.
/// </summary>
public sealed partial class DatabaseInitializer(
    SchemaMigrator migrator,
    IEnumerable<SchemaSource> sources,
    DatabaseReadiness readiness,
    Database database,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await UntilReachable.RunAsync(ct => migrator.MigrateAsync(sources, ct),
            (attempt, ex) => LogWaiting(logger, database.Description, attempt, ex.Message), cancellationToken);
        readiness.MarkReady();
        LogReady(logger, database.Description);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Database}")]
    private static partial void LogReady(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for database {Database} (attempt {Attempt}): {Error}")]
    private static partial void LogWaiting(ILogger logger, string database, int attempt, string error);
}
