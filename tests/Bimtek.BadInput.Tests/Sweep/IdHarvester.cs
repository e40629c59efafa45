using System.Text.Json.Nodes;
using Bimtek.Scenarios;

namespace Bimtek.BadInput.Tests.Sweep;

/// <summary>
/// Real ids for every path variable: the seed scenario's own ids first, then whatever the list and detail
/// routes answer (a property <c>fooBarId</c> fills <c>{foo_bar_id}</c>). Variables nothing fills get an
/// unknown UUID (the sweep then only proves unknown ids are refused cleanly there).
/// </summary>
public static class IdHarvester
{
    public static async Task<Dictionary<string, string>> HarvestAsync(HttpClient http, IReadOnlyList<Route> routes, ScenarioSummary seed, CancellationToken ct)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["programmeId"] = seed.ProgrammeId,
            ["traineeId"] = seed.TraineeIds[0],
            ["personId"] = seed.TraineeIds[0],
            ["productId"] = seed.ProductId,
            ["productCode"] = seed.ProductCode,
            ["recipientId"] = seed.RecipientId,
            ["handoverId"] = seed.HandoverId,
        };
        var gets = routes.Where(r => r.Verb == "get" && !r.Streaming).ToList();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        // Lists first (they name the records), then details of what they named (which name more).
        for (var round = 0; round < 3; round++)
        {
            foreach (var route in gets)
            {
                var variables = route.PathVariables.Select(v => (Variable: v, Known: found.TryGetValue(CamelCase(v), out var id) ? id : null)).ToList();
                if (variables.Any(v => v.Known is null))
                {
                    continue;
                }
                var path = route.Template;
                foreach (var (variable, known) in variables)
                {
                    path = path.Replace("{" + variable + "}", Uri.EscapeDataString(known!), StringComparison.Ordinal);
                }
                if (route.QueryParameters.Any(q => q.Name == "programmeId"))
                {
                    path += "?programmeId=" + Uri.EscapeDataString(seed.ProgrammeId);
                }
                if (!visited.Add(path))
                {
                    continue;
                }
                using var response = await http.GetAsync(path, ct);
                if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/json")
                {
                    continue;
                }
                Collect(JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)), found);
            }
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in routes.SelectMany(r => r.PathVariables).Distinct())
        {
            if (found.TryGetValue(CamelCase(variable), out var id))
            {
                result[variable] = id;
            }
        }
        return result;
    }

    private static void Collect(JsonNode? node, Dictionary<string, string> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (value is JsonValue scalar && (key.EndsWith("Id", StringComparison.Ordinal) || key is "version" or "productCode")
                        && scalar.ToString() is { Length: > 0 } text && text != "0")
                    {
                        found.TryAdd(key, text);
                    }
                    else
                    {
                        Collect(value, found);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, found);
                }
                break;
            default:
                break;
        }
    }

    public static string CamelCase(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
