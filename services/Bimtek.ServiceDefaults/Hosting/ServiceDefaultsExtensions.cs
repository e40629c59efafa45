using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Health;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Bimtek.ServiceDefaults.Hosting;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// What every host of the suite has: telemetry, health endpoints, gateway-token authentication
    /// and a clock. gRPC services add <see cref="AddGrpcDefaults"/>; services with a database add
    /// <c>AddServiceDatabase</c> from Bimtek.Data.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddTelemetry(serviceName);
        builder.Services.AddHealthChecks();
        builder.AddGatewayTokenAuthentication();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// gRPC with the suite's error mapping, JSON transcoding (the REST surface), reflection and the
    /// gRPC health service (fed by the same checks as <c>/readyz</c>).
    /// </summary>
    public static TBuilder AddGrpcDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services
            .AddGrpc(options =>
            {
                options.Interceptors.Add<ErrorInterceptor>();
                options.MaxReceiveMessageSize = 4 * 1024 * 1024;
                // Exception text stays in the logs; callers get the status the interceptor chose.
                options.EnableDetailedErrors = false;
            })
            .AddJsonTranscoding(options =>
                // REST callers get the same google.rpc details as gRPC callers.
                options.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromMessages(
                    Google.Rpc.ErrorInfo.Descriptor,
                    Google.Rpc.BadRequest.Descriptor,
                    Google.Rpc.PreconditionFailure.Descriptor,
                    Google.Rpc.ResourceInfo.Descriptor,
                    Google.Rpc.RetryInfo.Descriptor,
                    Google.Rpc.QuotaFailure.Descriptor));
        builder.Services.AddGrpcReflection();
        builder.Services.TryAddSingleton<GrpcDefaultsMarker>();
        builder.Services.AddGrpcHealthChecks(o => o.Services.Map("", r => r.Tags.Contains(HealthEndpoints.ReadyTag)));
        return builder;
    }

    /// <summary>
    /// Authentication, authorisation, strict checking of REST requests (<see cref="JsonRequestValidation"/>),
    /// health endpoints, gRPC reflection and health service.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<JsonRequestValidation>();
        app.MapHealthEndpoints();
        if (app.Services.GetService<GrpcDefaultsMarker>() is not null)
        {
            app.MapGrpcReflectionService().AllowAnonymous();
            app.MapGrpcHealthChecksService().AllowAnonymous();
        }
        return app;
    }

    private sealed class GrpcDefaultsMarker;
}
