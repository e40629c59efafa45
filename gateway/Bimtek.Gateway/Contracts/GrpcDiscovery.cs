using Bimtek.Gateway.Health;
using Grpc.Reflection;

namespace Bimtek.Gateway.Contracts;

/// <summary>
/// What a gRPC tool or a load balancer asks the front door before calling: server reflection (v1 and v1alpha, so
/// grpcurl, Postman and older clients all work) over the contracts of the services the gateway routes, and
/// <c>grpc.health.v1</c> per service (<see cref="GatewayGrpcHealth"/>). Answered by the gateway itself, because the
/// service a request names is in its body, not its path, so no route could forward it. Open to anonymous callers,
/// as on the services' own ports: the contract is public (the OpenAPI document is too) and probes carry no key.
/// </summary>
public static class GrpcDiscovery
{
    public static IServiceCollection AddGrpcDiscovery(this IServiceCollection services)
    {
        // Unknown gRPC paths keep falling through to the gateway's routes and its NOT_FOUND fallback.
        services.AddGrpc(options => options.IgnoreUnknownServices = true);
        var contracts = ContractCatalog.Services.Select(s => s.Service)
            .Append(Grpc.Health.V1.Health.Descriptor)
            .ToArray();
        services.AddSingleton(new ReflectionServiceImpl(contracts.Append(Grpc.Reflection.V1Alpha.ServerReflection.Descriptor)));
        services.AddSingleton(new ReflectionV1ServiceImpl(contracts.Append(Grpc.Reflection.V1.ServerReflection.Descriptor)));
        services.AddSingleton<GatewayGrpcHealth>();
        return services;
    }

    public static IEndpointRouteBuilder MapGrpcDiscovery(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ReflectionServiceImpl>().AllowAnonymous();
        endpoints.MapGrpcService<ReflectionV1ServiceImpl>().AllowAnonymous();
        endpoints.MapGrpcService<GatewayGrpcHealth>().AllowAnonymous();
        return endpoints;
    }
}
