using System.Diagnostics;

namespace Bimtek.Gateway.Limits;

/// <summary>
/// <c>X-Correlation-Id</c> on every request and response: the caller's value when it is a sane token,
/// otherwise a new one. It is forwarded to the services, tagged on the trace and put in the log scope.
/// </summary>
public static class CorrelationId
{
    public const string HeaderName = "X-Correlation-Id";
    public const string ActivityTag = "bimtek.correlation_id";
    private const string ItemKey = "bimtek.correlation_id";

    public static string Get(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is string id ? id : context.TraceIdentifier;

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app)
    {
        // One logger for the middleware's life: the factory's lookup by type name took a lock on every request.
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CorrelationId));
        return app.Use(async (context, next) => await InvokeAsync(context, next, logger));
    }

    private static async Task InvokeAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        var presented = context.Request.Headers[HeaderName].ToString();
        var id = IsAcceptable(presented) ? presented : Guid.NewGuid().ToString("N");
        context.Items[ItemKey] = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag(ActivityTag, id);
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }

    private static bool IsAcceptable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
