using System.Net;

namespace Bimtek.Scenarios;

/// <summary>
/// A scenario step whose result is not what the seed (or the contract) says: names the step and, for a failed
/// HTTP call, the status and the response body (a google.rpc.Status JSON from the services).
/// </summary>
public sealed class ScenarioFailure : Exception
{
    public ScenarioFailure(string step, string message, Exception? inner = null)
        : base($"Step '{step}' failed: {message}", inner)
    {
        Step = step;
    }

    public ScenarioFailure(string step, string method, string path, HttpStatusCode status, string body)
        : base($"Step '{step}' failed: {method} {path} returned HTTP {(int)status} {status}: {Truncate(body)}")
    {
        Step = step;
        StatusCode = status;
        Body = body;
    }

    /// <summary>The scenario step, e.g. "create programme".</summary>
    public string Step { get; }

    /// <summary>The HTTP status of a failed call; null when the failure is a wrong result.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The response body of a failed call.</summary>
    public string? Body { get; }

    private static string Truncate(string body) => body.Length <= 2000 ? body : body[..2000] + "…";
}
