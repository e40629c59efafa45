using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bimtek.Data.Persistence;

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
            await database.ReadAsync(s => s.ExecuteScalarAsync<int>("SELECT 1"), cancellationToken);
            return HealthCheckResult.Healthy(database.Provider.ToString());
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable.", data: new Dictionary<string, object> { ["error"] = ex.GetType().Name });
        }
    }
}
