using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bimtek.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Meters and activity sources of the suite's own code start with this prefix.</summary>
    public const string SourcePrefix = "Bimtek.";

    private const string HttpClientLogCategory = "System.Net.Http.HttpClient";

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry; exported by OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the local run's dashboard, or a collector).
    /// Console logs carry the trace and span ids so a log line can be found from a trace.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        // IHttpClientFactory logs four lines at Information for every outgoing call (each gRPC call between the
        // services): on the write path that was most of production's log volume and a tenth of its CPU (issue 19's
        // profile). Failures still log; an operator who wants every call sets Logging:LogLevel for this category, and
        // then this default steps aside (a filter added here would otherwise win over the configuration's).
        if (builder.Configuration[$"Logging:LogLevel:{HttpClientLogCategory}"] is null)
        {
            builder.Logging.AddFilter(HttpClientLogCategory, LogLevel.Warning);
        }
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(SourcePrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(SourcePrefix + "*")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    private static bool IsHealthProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
