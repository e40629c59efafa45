using Yarp.ReverseProxy.Configuration;

namespace Bimtek.Gateway.Proxy;

/// <summary>
/// Lets the usual service-discovery keys replace a cluster's destinations: <c>services:{name}:rest:N</c>
/// (REST; <c>services:{name}:http:N</c> also read) and <c>services:{name}:grpc:N</c> (gRPC), e.g.
/// <c>services__materials__grpc__0=http://10.0.0.5:5102</c> — what the AppHost's references set —
/// for the clusters whose metadata names that service. Without such keys the configured destinations stay.
/// </summary>
public sealed class ServiceDiscoveryConfigFilter(IConfiguration configuration) : IProxyConfigFilter
{
    public const string ServiceMetadata = "Service";
    public const string ProtocolMetadata = "Protocol";

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.Metadata is null || !cluster.Metadata.TryGetValue(ServiceMetadata, out var service)
            || !cluster.Metadata.TryGetValue(ProtocolMetadata, out var protocol))
        {
            return ValueTask.FromResult(cluster);
        }
        var addresses = Addresses(service, protocol);
        if (addresses.Count == 0 && protocol == "rest")
        {
            addresses = Addresses(service, "http");
        }
        if (addresses.Count == 0)
        {
            return ValueTask.FromResult(cluster);
        }
        var destinations = addresses.Select((address, i) => (Key: $"{service}-{protocol}-{i}", Address: address))
            .ToDictionary(d => d.Key, d => new DestinationConfig { Address = d.Address }, StringComparer.OrdinalIgnoreCase);
        return ValueTask.FromResult(cluster with { Destinations = destinations });
    }

    private List<string> Addresses(string service, string protocol) =>
        configuration.GetSection($"services:{service}:{protocol}").GetChildren()
            .Select(c => c.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .Select(v => v!)
            .ToList();

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) =>
        ValueTask.FromResult(route);
}
