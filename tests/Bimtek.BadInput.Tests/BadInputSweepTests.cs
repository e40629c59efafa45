using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bimtek.BadInput.Tests.Sweep;
using Xunit.Abstractions;

namespace Bimtek.BadInput.Tests;

/// <summary>
/// The bad-input sweep: every REST route of the gateway (read from its one OpenAPI document, checked against the
/// http rules in protos/) gets malformed JSON, wrong types, missing and unknown fields, huge strings, negative
/// and overflowing numbers, unknown enum values, page sizes out of range and bad path ids — as the operator, so
/// authorisation is not what refuses them, on top of the mask-2020 seed so path ids hit real records. Every
/// answer must be a 4xx with the suite's JSON error body within 10 s, and no table of any service may change.
/// One test case per route, so a failure names its route; the routes are those of the checked-in document
/// (gateway/Bimtek.Gateway/OpenApi/v1.json), which the first test proves is the one the gateway serves.
/// </summary>
public sealed class BadInputSweepTests(SweepFixture fixture, ITestOutputHelper output) : IClassFixture<SweepFixture>
{
    private static readonly TimeSpan _requestTimeout = TimeSpan.FromSeconds(10);
    private const int Parallelism = 4;

    /// <summary>Each route of the checked-in document, as "VERB /template".</summary>
    public static TheoryData<string> Routes() => new(RouteNames());

    private static IEnumerable<string> RouteNames() =>
        RouteCatalog.Read(JsonNode.Parse(File.ReadAllText(SweepFixture.CheckedInDocument()))!.AsObject()).Select(route => route.ToString());

    [Fact]
    public void The_swept_routes_are_every_route_the_gateway_serves_and_every_http_rule()
    {
        output.WriteLine(fixture.StartLog);
        var served = fixture.Routes.Keys.Order(StringComparer.Ordinal).ToList();
        var swept = RouteNames().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(served, swept);
        var httpRules = RouteCatalog.CountHttpRules(Path.Combine(SweepFixture.RepositoryRoot(), "protos"));
        var transcoded = fixture.Routes.Values.Count(r => !r.PlainHttp);
        Assert.True(httpRules == transcoded,
            $"/openapi/v1.json has {transcoded} transcoded operations but protos/ has {httpRules} http rules: a route would be skipped.");
        // The plain-HTTP photo and lesson video routes are swept too (path ids and query; their raw bodies are production's own tests).
        Assert.Equal(4, fixture.Routes.Values.Count(r => r.PlainHttp));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_refuses_bad_input_with_a_4xx_json_error_and_changes_nothing(string routeName)
    {
        Assert.True(fixture.Routes.TryGetValue(routeName, out var route), $"The gateway does not serve {routeName}.");
        var cases = new CaseGenerator(fixture.Ids).For(route);
        Assert.NotEmpty(cases);

        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (badCase, _) =>
        {
            var (status, problem) = await SendAsync(fixture.Client, badCase);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (problem is not null)
            {
                failures.Add($"[{badCase.Name}] -> {problem}");
            }
        });
        output.WriteLine($"{routeName}: {cases.Count} bad requests; statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "no answer" : s.Key)}×{s.Value}"))}");

        var changed = await fixture.ChangesSinceBaselineAsync();
        var dead = fixture.Suite.Processes.Where(p => p.HasExited).Select(p => p.Describe()).ToList();
        var report = new StringBuilder();
        if (!failures.IsEmpty)
        {
            report.AppendLine($"{failures.Count} of {cases.Count} bad requests to {routeName} were not answered with a 4xx JSON error:");
            foreach (var failure in failures.Order(StringComparer.Ordinal))
            {
                report.AppendLine("  " + failure);
            }
        }
        if (changed.Count > 0)
        {
            report.AppendLine($"State changed in {changed.Count} tables although every request to {routeName} was bad:");
            changed.ToList().ForEach(c => report.AppendLine("  " + c));
        }
        if (dead.Count > 0)
        {
            report.AppendLine("Processes died during the sweep:");
            dead.ForEach(d => report.AppendLine(d));
        }
        Assert.True(report.Length == 0, report.ToString());
    }

    /// <summary>Sends one case; returns its status (0 when none) and what is wrong with the answer, if anything.</summary>
    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient http, BadCase badCase)
    {
        using var timeout = new CancellationTokenSource(_requestTimeout);
        using var request = badCase.ToRequest();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if (badCase.Name.StartsWith(CaseGenerator.NulPathCase, StringComparison.Ordinal) && status == 400 && body.Length == 0)
            {
                return (status, null);
            }
            var problem = status is < 400 or > 499
                ? "expected a 4xx"
                : ErrorBodyProblem(response, body);
            return (status, problem is null ? null : $"HTTP {status} ({problem}): {Preview(body)}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (0, $"no answer within {_requestTimeout.TotalSeconds:0} s (hang)");
        }
        catch (HttpRequestException exception)
        {
            return (0, $"connection failed: {exception.Message}");
        }
    }

    /// <summary>The suite's error body: a google.rpc.Status JSON object with a code, a message and details.</summary>
    private static string? ErrorBodyProblem(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return $"content type '{response.Content.Headers.ContentType?.MediaType}', not application/json";
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return "body is not JSON";
        }
        if (node is not JsonObject error)
        {
            return "body is not a JSON object";
        }
        if (error["code"] is not JsonValue code || !code.TryGetValue<int>(out var number) || number is <= 0 or > 16)
        {
            return "no gRPC status code";
        }
        if (error["message"] is not JsonValue message || !message.TryGetValue<string>(out var text) || text.Length == 0)
        {
            return "no message";
        }
        if (error["details"] is not JsonArray details
            || !details.Any(d => d?["@type"]?.GetValue<string>() == "type.googleapis.com/google.rpc.ErrorInfo" && d["reason"] is JsonValue))
        {
            return "no google.rpc.ErrorInfo with a reason in details";
        }
        if (number == 3)
        {
            // Validation failures (issue 21): a specific reason, a reason per field violation, fields by their JSON names.
            var reason = details.First(d => d?["@type"]?.GetValue<string>() == "type.googleapis.com/google.rpc.ErrorInfo")!["reason"]!.GetValue<string>();
            if (reason == "INVALID_ARGUMENT")
            {
                return "a validation failure with the bare reason INVALID_ARGUMENT";
            }
            var badRequest = details.FirstOrDefault(d => d?["@type"]?.GetValue<string>() == "type.googleapis.com/google.rpc.BadRequest");
            if (badRequest?["fieldViolations"] is JsonArray violations)
            {
                foreach (var violation in violations)
                {
                    var field = violation?["field"]?.GetValue<string>() ?? "";
                    var fieldReason = violation?["reason"]?.GetValue<string>() ?? "";
                    if (fieldReason.Length == 0)
                    {
                        return $"field violation '{field}' without a reason";
                    }
                    if (fieldReason != "UNKNOWN_FIELD" && field.Contains('_', StringComparison.Ordinal))
                    {
                        return $"field violation '{field}' named by its proto name, not its JSON name";
                    }
                }
            }
        }
        return null;
    }

    private static string Preview(string body)
    {
        var flat = body.ReplaceLineEndings(" ");
        return flat.Length > 300 ? flat[..300] + "…" : flat;
    }
}
