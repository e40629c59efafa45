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
    /// Traces, metrics and logs through OpenTelemetry, exported by OTLP, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
    /// (the local run's dashboard, or a collector). Without one nothing would read them, so none are collected: every
    /// request would pay for spans, histograms and log records no one sees (issue 19's gateway profile). Console logs
    /// carry the trace and span ids either way — ASP.NET Core starts a request's activity whenever logging is on, and
    /// HttpClient passes its context on to the next service — so a log line is found from a trace id across services.
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
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
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
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
        return builder;
    }

    private static bool IsHealthProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
