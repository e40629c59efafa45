using System.Net;
using Grpc.Core;

namespace Bimtek.Load.Measurement;

/// <summary>A non-2xx answer of a REST call, kept with its status for the error table.</summary>
public sealed class HttpStatusException(HttpStatusCode status, string body)
    : Exception($"HTTP {(int)status}: {(body.Length > 300 ? body[..300] : body)}")
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>Turns a failed call into the label it is counted under ("HTTP 409", "gRPC Unavailable", …).</summary>
public static class Errors
{
    public static string? Classify(Exception exception) => exception switch
    {
        HttpStatusException http => $"HTTP {(int)http.Status}",
        RpcException rpc => $"gRPC {rpc.StatusCode}",
        HttpRequestException request => "connection: " + (request.HttpRequestError.ToString()),
        TaskCanceledException or OperationCanceledException => "timeout/cancelled",
        _ => null,
    };
}
