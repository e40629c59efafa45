using System.Text.Json.Nodes;
using Bimtek.Gateway.Tests.Support;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// The settings that keep <c>WatchProgrammeProgress</c> open through the gateway: every cluster that carries it (the
/// gRPC route and the REST <c>progress:watch</c> route) waits for activity at least twice the coordinator's heartbeat
/// interval, so one late heartbeat never idles a stream out; and no route timeout cuts a stream.
/// </summary>
public sealed class StreamRouteSettingsTests
{
    [Fact]
    public void The_watch_routes_wait_at_least_two_heartbeats_and_have_no_request_timeout()
    {
        var root = ProtoRoutes.RepositoryRoot();
        var gateway = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "gateway/Bimtek.Gateway/appsettings.json")))!["ReverseProxy"]!;
        var coordinator = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "services/Bimtek.Coordinator/appsettings.json")))!;
        var heartbeat = TimeSpan.Parse(coordinator["Coordinator"]!["Watch"]!["HeartbeatInterval"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(heartbeat > TimeSpan.Zero);

        var routes = gateway["Routes"]!.AsObject();
        var grpc = routes.Single(r => r.Value!["Match"]!["Path"]!.GetValue<string>().StartsWith("/bimtek.coordinator.v1.QuotaService/", StringComparison.Ordinal));
        var rest = routes.Single(r => r.Value!["Match"]!["Path"]!.GetValue<string>().EndsWith("/progress:watch", StringComparison.Ordinal));
        foreach (var (name, node) in new[] { grpc, rest })
        {
            var route = node!;
            Assert.Null(route["Timeout"]);
            var cluster = route["ClusterId"]!.GetValue<string>();
            var activity = TimeSpan.Parse(gateway["Clusters"]![cluster]!["HttpRequest"]!["ActivityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(activity >= 2 * heartbeat, $"route {name}: cluster {cluster} waits {activity} for activity; the heartbeat comes every {heartbeat}");
        }
    }
}
