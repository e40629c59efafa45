using Bimtek.Data.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bimtek.Data.Outbox;

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
