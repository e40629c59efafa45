using Bimtek.Gateway.Contracts;
using Bimtek.Gateway.Hosting;
using Bimtek.Gateway.Proxy;
using Bimtek.ServiceDefaults.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Bimtek.Gateway.Health;

/// <summary>
/// One <c>/readyz</c> entry per service: ready when at least one destination of its REST cluster answers its
/// own <c>/readyz</c> with 2xx within <c>Gateway:ReadinessTimeout</c>. Sent through the cluster's own client,
/// so it sees the service the way proxied requests do. An optional service (<see cref="ContractCatalog.Optional"/>)
/// that is not ready makes the answer degraded, not unhealthy.
/// </summary>
public sealed class DownstreamReadinessCheck(string service, IProxyStateLookup proxy, IOptions<GatewayOptions> options) : IHealthCheck
{
    public static IHealthChecksBuilder AddDownstreamReadiness(IHealthChecksBuilder checks)
    {
        foreach (var (name, _) in ContractCatalog.Services)
        {
            checks.Add(new HealthCheckRegistration(name,
                sp => new DownstreamReadinessCheck(name, sp.GetRequiredService<IProxyStateLookup>(), sp.GetRequiredService<IOptions<GatewayOptions>>()),
                ContractCatalog.Optional.Contains(name) ? HealthStatus.Degraded : HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]));
        }
        return checks;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var cluster = proxy.GetClusters().FirstOrDefault(c =>
            c.Model.Config.Metadata is { } metadata
            && metadata.GetValueOrDefault(ServiceDiscoveryConfigFilter.ServiceMetadata) == service
            && metadata.GetValueOrDefault(ServiceDiscoveryConfigFilter.ProtocolMetadata) == "rest");
        if (cluster is null || cluster.Destinations.IsEmpty)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"No REST destination is configured for {service}.");
        }
        var results = await Task.WhenAll(cluster.Destinations.Values.Select(d => ProbeAsync(cluster, d, cancellationToken)));
        var data = results.ToDictionary(r => r.Destination, r => (object)r.Outcome);
        return results.Any(r => r.Ready)
            ? HealthCheckResult.Healthy($"{results.Count(r => r.Ready)} of {results.Length} instances ready.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"No instance of {service} is ready.", data: data);
    }

    private async Task<(string Destination, bool Ready, string Outcome)> ProbeAsync(ClusterState cluster, DestinationState destination, CancellationToken cancellationToken)
    {
        var address = destination.Model.Config.Address.TrimEnd('/');
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ReadinessTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, address + "/readyz");
            if (cluster.Model.Config.HttpRequest?.Version is { } version)
            {
                request.Version = version;
                request.VersionPolicy = cluster.Model.Config.HttpRequest.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower;
            }
            using var response = await cluster.Model.HttpClient.SendAsync(request, timeout.Token);
            return (destination.DestinationId, response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (destination.DestinationId, false, "timed out");
        }
        catch (HttpRequestException ex)
        {
            return (destination.DestinationId, false, ex.Message);
        }
    }
}
