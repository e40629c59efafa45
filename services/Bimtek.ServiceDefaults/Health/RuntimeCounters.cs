using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.ServiceDefaults.Health;

/// <summary>
/// <c>GET /debug/runtime</c>: the bytes this process has allocated and the collections it has run so far, for the bench's
/// cost per request (issue 19: allocations per request). Mapped only when <c>Diagnostics:RuntimeCounters</c> is true —
/// the test and bench launcher sets it — and it tells only about the process, nothing of its data.
/// </summary>
public static class RuntimeCounters
{
    public const string Path = "/debug/runtime";

    public const string Setting = "Diagnostics:RuntimeCounters";

    public static IEndpointRouteBuilder MapRuntimeCounters(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetRequiredService<IConfiguration>().GetValue(Setting, false))
        {
            endpoints.MapGet(Path, () => Results.Json(Read())).AllowAnonymous().ExcludeFromDescription();
        }
        return endpoints;
    }

    /// <summary>This process's counters now (the allocated bytes without flushing the threads' allocation contexts: off by a few KiB).</summary>
    public static RuntimeCounterValues Read() => new(
        GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        GC.GetTotalPauseDuration().TotalMilliseconds);
}

/// <summary>A process's allocations and garbage collections since it started.</summary>
public sealed record RuntimeCounterValues(long AllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections, double PauseMs);
