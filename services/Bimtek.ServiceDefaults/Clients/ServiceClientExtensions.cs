using Bimtek.ServiceDefaults.Security;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.ServiceDefaults.Clients;

/// <summary>Whose identity an outgoing call carries.</summary>
public enum CallIdentity
{
    /// <summary>The incoming caller's token when there is one (object-level rules apply downstream), else the service's own.</summary>
    CallerOrService,

    /// <summary>Always the service's own identity (outbox relays, checks the caller may not make itself).</summary>
    Service,
}

/// <summary>Lets tests route a named downstream service to an in-process server.</summary>
public interface IDownstreamHandlerFactory
{
    HttpMessageHandler? CreateHandler(string serviceName);
}

public static class ServiceClientExtensions
{
    /// <summary>Default deadline of a call that arrives without one (<c>Clients:DefaultDeadline</c>).</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers a gRPC client for another service of the suite. Its address is read from
    /// <c>services:{name}:grpc:0</c> (the service-discovery convention the local run and compose
    /// use). Every call gets a deadline, carries deadline and cancellation of the call it serves,
    /// presents a token, and is retried only when the target answered UNAVAILABLE.
    /// </summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(
        this IServiceCollection services, string serviceName, CallIdentity identity = CallIdentity.CallerOrService)
        where TClient : ClientBase
    {
        services.AddHttpContextAccessor();
        return services
            .AddGrpcClient<TClient>((sp, options) => options.Address = ResolveAddress(sp.GetRequiredService<IConfiguration>(), serviceName))
            .ConfigureChannel(channel =>
            {
                // Tokens over cleartext HTTP/2 inside the network; TLS is the platform's job.
                channel.UnsafeUseInsecureChannelCallCredentials = true;
                channel.MaxRetryAttempts = 4;
                channel.ServiceConfig = new ServiceConfig { MethodConfigs = { RetryOnUnavailable() } };
            })
            .EnableCallContextPropagation(o => o.SuppressContextNotFoundErrors = true)
            .AddInterceptor(sp => new DefaultDeadlineInterceptor(
                sp.GetRequiredService<IConfiguration>().GetValue("Clients:DefaultDeadline", DefaultDeadline)))
            .AddCallCredentials(async (context, metadata, sp) =>
            {
                var token = await TokenForAsync(sp, identity, context.CancellationToken);
                metadata.Add("Authorization", $"Bearer {token}");
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
                sp.GetService<IDownstreamHandlerFactory>()?.CreateHandler(serviceName)
                ?? new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = true,
                    PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                    KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                });
    }

    /// <summary>Whether the deployment names the service's gRPC address (a host of one service in tests does not).</summary>
    public static bool HasAddress(IConfiguration configuration, string serviceName) =>
        !string.IsNullOrEmpty(configuration[$"services:{serviceName}:grpc:0"]);

    public static Uri ResolveAddress(IConfiguration configuration, string serviceName)
    {
        var address = configuration[$"services:{serviceName}:grpc:0"]
            ?? throw new InvalidOperationException(
                $"No address for service '{serviceName}': set services:{serviceName}:grpc:0 (environment services__{serviceName}__grpc__0).");
        return new Uri(address);
    }

    private static MethodConfig RetryOnUnavailable() => new()
    {
        Names = { MethodName.Default },
        RetryPolicy = new RetryPolicy
        {
            MaxAttempts = 4,
            InitialBackoff = TimeSpan.FromMilliseconds(200),
            MaxBackoff = TimeSpan.FromSeconds(2),
            BackoffMultiplier = 2,
            RetryableStatusCodes = { StatusCode.Unavailable },
        },
    };

    private static async ValueTask<string> TokenForAsync(IServiceProvider services, CallIdentity identity, CancellationToken cancellationToken)
    {
        if (identity == CallIdentity.CallerOrService)
        {
            var header = services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request.Headers.Authorization.ToString();
            if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return header["Bearer ".Length..];
            }
        }
        return await services.GetRequiredService<IServiceTokenSource>().GetTokenAsync(cancellationToken);
    }
}
