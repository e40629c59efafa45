using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bimtek.Scenarios.Rest;

/// <summary>
/// JSON over the gateway's REST surface (gRPC JSON transcoding: lowerCamelCase fields, enums by name,
/// int64 as strings, defaults omitted). Every mutating call gets a fresh <c>requestId</c> unless the body has
/// one. A non-2xx answer becomes a <see cref="ScenarioFailure"/> naming the step, the status and the body.
/// </summary>
public sealed class RestClient(HttpClient http, TextWriter log)
{
    private static readonly JsonSerializerOptions _print = new() { WriteIndented = false };

    public TextWriter Log { get; } = log;

    public async Task<JsonObject> GetAsync(string step, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(step, request, cancellationToken);
    }

    public async Task<JsonObject> PostAsync(string step, string path, JsonObject body, CancellationToken cancellationToken)
    {
        if (!body.ContainsKey("requestId"))
        {
            body["requestId"] = Guid.NewGuid().ToString();
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(_print), Encoding.UTF8, "application/json"),
        };
        return await SendAsync(step, request, cancellationToken);
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

    private async Task<JsonObject> SendAsync(string step, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new ScenarioFailure(step, $"{request.Method} {request.RequestUri} could not be sent: {exception.Message}");
        }
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
