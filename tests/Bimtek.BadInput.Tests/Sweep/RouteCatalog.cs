using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bimtek.BadInput.Tests.Sweep;

/// <summary>What a field holds, as far as bad input is concerned (read from the gateway's OpenAPI schemas).</summary>
public enum FieldKind
{
    String,
    Int32,
    Int64,
    UInt,
    Number,
    Bool,
    Enum,
    Timestamp,
    Duration,
    Array,
    Object,
    Map,
    Any,
}

/// <summary>A field of a request: its JSON name, kind, and (arrays and messages) what it contains.</summary>
public sealed record FieldShape(string Name, FieldKind Kind, IReadOnlyList<FieldShape> Fields, FieldShape? Items);

/// <summary>One REST operation of the gateway: verb, path template, path variables, query parameters, body fields (none for a raw body).</summary>
public sealed record Route(
    string Verb,
    string Template,
    IReadOnlyList<string> PathVariables,
    IReadOnlyList<FieldShape> QueryParameters,
    IReadOnlyList<FieldShape>? BodyFields,
    bool Streaming,
    bool PlainHttp = false)
{
    public bool HasBody => BodyFields is not null;

    public override string ToString() => $"{Verb.ToUpperInvariant()} {Template}";
}

/// <summary>Every operation of the one OpenAPI document of the REST surface, with its fields resolved.</summary>
public static partial class RouteCatalog
{
    private const int MaxDepth = 3;

    public static IReadOnlyList<Route> Read(JsonObject document)
    {
        var schemas = document["components"]?["schemas"] as JsonObject ?? [];
        var routes = new List<Route>();
        foreach (var (path, item) in (JsonObject)document["paths"]!)
        {
            foreach (var (verb, node) in (JsonObject)item!)
            {
                var operation = (JsonObject)node!;
                var parameters = operation["parameters"] as JsonArray ?? [];
                var pathVariables = parameters.Where(p => p!["in"]!.GetValue<string>() == "path").Select(p => p!["name"]!.GetValue<string>()).ToList();
                var query = parameters.Where(p => p!["in"]!.GetValue<string>() == "query")
                    .Select(p => Shape(p!["name"]!.GetValue<string>(), p["schema"], schemas, 0)).ToList();
                IReadOnlyList<FieldShape>? body = null;
                if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } bodySchema)
                {
                    body = Shape("", bodySchema, schemas, 0).Fields;
                }
                // The document declares a server stream as newline-delimited JSON.
                var streaming = operation["responses"]?["200"]?["content"]?["application/x-ndjson"] is not null;
                // Production's photo routes are plain HTTP (raw image bodies), without an http rule in protos/.
                var plainHttp = operation["x-plain-http"]?.GetValue<bool>() == true;
                routes.Add(new Route(verb, path, pathVariables, query, body, streaming, plainHttp));
            }
        }
        return routes;
    }

    /// <summary>http rules (and additional bindings) in the proto files: each is one REST operation.</summary>
    public static int CountHttpRules(string protosDirectory) =>
        Directory.EnumerateFiles(protosDirectory, "*.proto", SearchOption.AllDirectories)
            .Sum(file => HttpRuleVerb().Matches(StripComments(File.ReadAllText(file))).Count);

    private static string StripComments(string proto) => LineComment().Replace(proto, "");

    private static FieldShape Shape(string name, JsonNode? schema, JsonObject schemas, int depth)
    {
        schema = Resolve(schema, schemas);
        if (schema is not JsonObject obj)
        {
            return new FieldShape(name, FieldKind.Any, [], null);
        }
        var type = obj["type"]?.GetValue<string>();
        var format = obj["format"]?.GetValue<string>();
        if (obj["enum"] is JsonArray)
        {
            return new FieldShape(name, FieldKind.Enum, [], null);
        }
        switch (type)
        {
            case "string" or "integer" when format == "int64":
                return new FieldShape(name, FieldKind.Int64, [], null);
            case "string" when format == "date-time":
                return new FieldShape(name, FieldKind.Timestamp, [], null);
            case "string" when obj["description"]?.GetValue<string>().Contains("s suffix", StringComparison.Ordinal) == true:
                return new FieldShape(name, FieldKind.Duration, [], null);
            case "string":
                return new FieldShape(name, FieldKind.String, [], null);
            case "integer" when format == "int32":
                return new FieldShape(name, FieldKind.Int32, [], null);
            case "integer" when obj["minimum"] is not null:
                return new FieldShape(name, FieldKind.UInt, [], null);
            case "integer":
                return new FieldShape(name, FieldKind.Int32, [], null);
            case "number":
                return new FieldShape(name, FieldKind.Number, [], null);
            case "boolean":
                return new FieldShape(name, FieldKind.Bool, [], null);
            case "array":
                return new FieldShape(name, FieldKind.Array, [], depth < MaxDepth ? Shape("", obj["items"], schemas, depth + 1) : null);
            case "object" when obj["additionalProperties"] is JsonObject or JsonValue && obj["properties"] is null:
                return new FieldShape(name, FieldKind.Map, [], null);
            case "object" when obj["properties"] is JsonObject properties:
                var fields = depth < MaxDepth
                    ? properties.Where(p => !p.Key.StartsWith('@')).Select(p => Shape(p.Key, p.Value, schemas, depth + 1)).ToList()
                    : [];
                return new FieldShape(name, FieldKind.Object, fields, null);
            case "object":
                return new FieldShape(name, FieldKind.Object, [], null);
            default:
                return new FieldShape(name, FieldKind.Any, [], null);
        }
    }

    /// <summary>Follows <c>$ref</c> and <c>allOf: [$ref]</c> wrappers (fields with descriptions).</summary>
    private static JsonNode? Resolve(JsonNode? schema, JsonObject schemas)
    {
        for (var hops = 0; hops < 10 && schema is JsonObject obj; hops++)
        {
            if (obj["$ref"]?.GetValue<string>() is { } reference)
            {
                schema = schemas[reference[(reference.LastIndexOf('/') + 1)..]];
            }
            else if (obj["allOf"] is JsonArray { Count: 1 } all)
            {
                schema = all[0];
            }
            else
            {
                break;
            }
        }
        return schema;
    }

    [GeneratedRegex(@"\b(get|post|put|patch|delete)\s*:\s*""[^""]*""")]
    private static partial Regex HttpRuleVerb();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();
}
