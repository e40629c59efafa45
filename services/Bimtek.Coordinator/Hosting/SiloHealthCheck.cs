using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Bimtek.Coordinator.Hosting;

/// <summary>Ready when this silo is an active cluster member and the Orleans storage answers.</summary>
public sealed class SiloHealthCheck(IServiceProvider services, OrleansStorageSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var local = services.GetService<ILocalSiloDetails>();
        var membership = services.GetService<IClusterMembershipService>();
        var status = local is null || membership is null
            ? SiloStatus.None
            : membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"Silo is {status}.");
        }
        try
        {
            await using System.Data.Common.DbConnection connection = settings.Kind == OrleansStorageKind.Postgres
                ? new NpgsqlConnection(settings.ConnectionString)
                : new SqliteConnection(settings.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // A table the installer creates on each engine (SQLite has no OrleansQuery: no stock provider runs there).
            command.CommandText = settings.Kind == OrleansStorageKind.Postgres
                ? "SELECT count(*) FROM OrleansQuery"
                : "SELECT count(*) FROM orleans_grain_state";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Silo active; {settings.Kind} storage reachable.");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Orleans storage unreachable.", data: new Dictionary<string, object> { ["error"] = ex.GetType().Name });
        }
    }
}
