using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.ServiceDefaults.Tests.Probe;

/// <summary>Starts probe and receiver hosts on test databases.</summary>
public static class ProbeHosts
{
    public static Task<WebTestHost> StartProbeAsync(TestDatabase database, Downstream downstream, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var configuration = new Dictionary<string, string?>(database.Configuration);
        foreach (var (key, value) in downstream.Configuration)
        {
            configuration[key] = value;
        }
        configuration["Outbox:InitialBackoff"] = "00:00:00.100";
        configuration["Outbox:MaxBackoff"] = "00:00:00.500";
        configuration["Outbox:PollInterval"] = "00:00:00.200";
        configuration["Outbox:ClaimLease"] = "00:00:03";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        return WebTestHost.StartAsync(
            builder =>
            {
                builder.AddProbe("probe", sendsToReceiver: true);
                builder.Services.AddSingleton<ServiceDefaults.Clients.IDownstreamHandlerFactory>(downstream);
            },
            app => app.MapProbe(),
            configuration);
    }

    public static Task<WebTestHost> StartReceiverAsync(TestDatabase database) =>
        WebTestHost.StartAsync(builder => builder.AddProbe("receiver", sendsToReceiver: false), app => app.MapProbe(), database.Configuration);
}

/// <summary>A downstream that is down: every call fails as a refused connection would.</summary>
public sealed class UnreachableHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new HttpRequestException("Connection refused (test: receiver is down)");
}
