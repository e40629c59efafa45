using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bimtek.Scenarios.Rest;

/// <summary>Reading and writing proto3 JSON: absent fields are their defaults, int64 may be a string.</summary>
public static class Json
{
    public static string Str(this JsonNode? node, string field) =>
        node?[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";

    public static string Required(this JsonNode? node, string field, string step) =>
        node.Str(field) is { Length: > 0 } text ? text : throw new ScenarioFailure(step, $"the response has no '{field}': {node?.ToJsonString()}");

    public static long Long(this JsonNode? node, string field)
    {
        if (node?[field] is not JsonValue value)
        {
            return 0;
        }
        return value.GetValueKind() switch
        {
            JsonValueKind.Number => value.GetValue<long>(),
            JsonValueKind.String => long.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture),
            _ => 0,
        };
    }

    public static int Int(this JsonNode? node, string field) => checked((int)node.Long(field));

    public static bool Bool(this JsonNode? node, string field) =>
        node?[field] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    public static IReadOnlyList<JsonNode> Array(this JsonNode? node, string field) =>
        node?[field] is JsonArray array ? array.Where(item => item is not null).Select(item => item!).ToList() : [];

    /// <summary>A google.type.Date.</summary>
    public static JsonObject Date(DateOnly day) => new() { ["year"] = day.Year, ["month"] = day.Month, ["day"] = day.Day };

    /// <summary>A google.type.Date as query parameters of field <paramref name="field"/>.</summary>
    public static string DateQuery(string field, DateOnly day) =>
        FormattableString.Invariant($"{field}.year={day.Year}&{field}.month={day.Month}&{field}.day={day.Day}");

    /// <summary>A google.protobuf.Timestamp (RFC 3339, UTC).</summary>
    public static string Timestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(value => (JsonNode)JsonValue.Create(value))];

    public static string Escape(string value) => Uri.EscapeDataString(value);
}
