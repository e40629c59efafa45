using Bimtek.ServiceDefaults.Outbox;
using Bimtek.ServiceDefaults.Persistence;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bimtek.ServiceDefaults.Health;

/// <summary>Ready when the schema is current and the database answers.</summary>
public sealed class DatabaseHealthCheck(Database database, DatabaseReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy("Schema not yet applied.");
        }
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy(database.Provider.ToString());
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable.", data: new Dictionary<string, object> { ["error"] = ex.GetType().Name });
        }
    }
}

/// <summary>Degraded while outbox rows are parked: deliveries an operator has to look at.</summary>
public sealed class OutboxHealthCheck(OutboxStatus status, DatabaseReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy("Schema not yet applied.");
        }
        try
        {
            var counts = await status.ReadAsync(cancellationToken);
            var data = new Dictionary<string, object> { ["pending"] = counts.Pending, ["parked"] = counts.Parked };
            return counts.Parked > 0
                ? HealthCheckResult.Degraded($"{counts.Parked} outbox message(s) parked.", data: data)
                : HealthCheckResult.Healthy("Outbox flowing.", data);
        }
        catch (System.Data.Common.DbException)
        {
            return HealthCheckResult.Unhealthy("Outbox unreadable.");
        }
    }
}
