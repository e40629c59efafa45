using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bimtek.Scenarios.Rest;

/// <summary>
/// JSON over the gateway's REST surface (gRPC JSON transcoding: lowerCamelCase fields, enums by name,
/// int64 as strings, defaults omitted). Every mutating call gets a fresh <c>requestId</c> unless the body has
/// one. A 503 (UNAVAILABLE: "retry with the same request_id") is sent again with the same body a few times over ~30 s,
/// as the API tells every client to (each retry logged); any other non-2xx answer, or a 503 past that, becomes a
/// <see cref="ScenarioFailure"/> naming the step, the status and the body.
/// </summary>
public sealed class RestClient(HttpClient http, TextWriter log)
{
    private static readonly JsonSerializerOptions _print = new() { WriteIndented = false };

    public TextWriter Log { get; } = log;

    public async Task<JsonObject> GetAsync(string step, string path, CancellationToken cancellationToken)
    {
        return await SendAsync(step, () => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
    }

    public async Task<JsonObject> PostAsync(string step, string path, JsonObject body, CancellationToken cancellationToken)
    {
        if (!body.ContainsKey("requestId"))
        {
            body["requestId"] = Guid.NewGuid().ToString();
        }
        var json = body.ToJsonString(_print);
        return await SendAsync(step, () => new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        }, cancellationToken);
    }

    /// <summary>GET of a binary body (e.g. the handover PDF): content type and bytes.</summary>
    public async Task<(string ContentType, byte[] Bytes)> GetBytesAsync(string step, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/pdf"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.5));
        using var response = await http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ScenarioFailure(step, "GET", path, response.StatusCode, Encoding.UTF8.GetString(bytes));
        }
        return (response.Content.Headers.ContentType?.MediaType ?? "", bytes);
    }

    /// <summary>The waits before each resend of a request answered 503.</summary>
    private static TimeSpan[] UnavailableWaits { get; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4),
        TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15)];

    private async Task<JsonObject> SendAsync(string step, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                throw new ScenarioFailure(step, $"{request.Method} {request.RequestUri} could not be sent: {exception.Message}");
            }
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && attempt < UnavailableWaits.Length)
            {
                response.Dispose();
                Log.WriteLine($"    {request.Method} {request.RequestUri} -> 503, sent again with the same body in {UnavailableWaits[attempt].TotalSeconds:0} s");
                await Task.Delay(UnavailableWaits[attempt], cancellationToken);
                continue;
            }
            return await ReadAsync(step, request, response, watch, cancellationToken);
        }
    }

    private async Task<JsonObject> ReadAsync(string step, HttpRequestMessage request, HttpResponseMessage response, Stopwatch watch,
        CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ScenarioFailure(step, request.Method.Method, request.RequestUri?.ToString() ?? "", response.StatusCode, text);
            }
            Log.WriteLine($"    {request.Method} {request.RequestUri} -> {(int)response.StatusCode} ({watch.ElapsedMilliseconds} ms)");
            if (string.IsNullOrWhiteSpace(text))
            {
                return [];
            }
            try
            {
                return JsonNode.Parse(text) as JsonObject
                    ?? throw new ScenarioFailure(step, $"{request.Method} {request.RequestUri} answered JSON that is not an object: {text}");
            }
            catch (JsonException exception)
            {
                throw new ScenarioFailure(step, $"{request.Method} {request.RequestUri} answered invalid JSON ({exception.Message}): {text}");
            }
        }
    }
}
