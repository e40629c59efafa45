using Bimtek.Distribution.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bimtek.Distribution.Documents;

/// <summary>Readiness says so when handover documents cannot be drawn (the rest of the service still works).</summary>
internal sealed class DocumentFontsHealthCheck(IOptions<DistributionOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var missing = new DejaVuFontResolver(options.Value.FontDirectory).MissingFiles();
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy($"Fonts in {options.Value.FontDirectory}.")
            : HealthCheckResult.Degraded(new FontFileMissingException(missing[0]).Message));
    }
}
