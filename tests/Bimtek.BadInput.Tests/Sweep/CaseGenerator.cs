using System.Text;
using System.Text.Json;

namespace Bimtek.BadInput.Tests.Sweep;

/// <summary>
/// The bad requests for every route: malformed JSON, wrong JSON types for each field (nested ones too),
/// missing fields, huge strings, negative and overflowing numbers, unknown enum values, page sizes out of
/// range, bad path ids and unknown fields. Bodies are otherwise minimal (a fresh requestId, real ids in the
/// path) so the only thing wrong is what the case names — a service that let it through would change state.
/// </summary>
public sealed class CaseGenerator(IReadOnlyDictionary<string, string> realIds)
{
    private static readonly string _tenKb = new('a', 10 * 1024);
    private static readonly string _oneMb = new('b', 1024 * 1024);
    private static readonly string _fourKb = new('q', 4 * 1024);

    /// <summary>Raw path segments (already percent-encoded where they need to be), inserted as they are.</summary>
    private static readonly (string Name, Func<string> Value)[] _badIds =
    [
        ("path id not a uuid", () => "not-a-uuid"),
        ("path id 3000 chars", () => new string('7', 3000)),
        ("path id percent-encoded junk", () => "%FF%2F..%2F%E2%80%AE%3Cscript%3E%25"),
        (NulPathCase, () => "abc%00def"),
        ("path id blank", () => "%20"),
        ("path id unknown uuid", () => Guid.NewGuid().ToString()),
    ];

    /// <summary>
    /// Kestrel refuses a request target with a NUL byte while parsing the request line, before any middleware
    /// runs, with a bodyless 400: the one case where the answer cannot carry the JSON error body.
    /// </summary>
    public const string NulPathCase = "path id with %00";

    public IReadOnlyList<BadCase> For(Route route)
    {
        var cases = new List<BadCase>();
        cases.AddRange(PathCases(route));
        if (route.HasBody)
        {
            cases.AddRange(BodyCases(route));
        }
        else
        {
            cases.AddRange(QueryCases(route));
        }
        return cases;
    }

    private IEnumerable<BadCase> PathCases(Route route)
    {
        foreach (var variable in route.PathVariables)
        {
            foreach (var (name, value) in _badIds)
            {
                var url = Url(route, variable, value());
                yield return new BadCase(route, $"{name} in {{{variable}}}", url, route.HasBody ? BadCase.Utf8(Body(route, [])) : null);
            }
        }
    }

    private IEnumerable<BadCase> BodyCases(Route route)
    {
        var url = Url(route, null, null);
        BadCase Raw(string name, string body) => new(route, name, url, BadCase.Utf8(body));
        BadCase Json(string name, IEnumerable<(string Field, string Raw)> fields) => new(route, name, url, BadCase.Utf8(Body(route, fields)));

        // Malformed JSON.
        yield return Raw("malformed: truncated object", "{\"requestId\": ");
        yield return Raw("malformed: not JSON", "this is not json");
        yield return Raw("malformed: trailing garbage", "{}x");
        yield return Raw("malformed: top-level array", "[1, 2, 3]");
        yield return Raw("malformed: top-level string", "\"text\"");
        yield return Raw("malformed: null", "null");
        yield return Raw("malformed: single quotes", "{'requestId': 'x'}");
        yield return Raw("malformed: nested 500 deep", "{\"requestId\": " + new string('[', 500) + new string(']', 500) + "}");
        yield return new BadCase(route, "malformed: invalid UTF-8", url, [(byte)'{', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}']);
        // Missing fields.
        yield return Raw("missing: empty object", "{}");
        yield return Raw("missing: empty body", "");
        // Unknown fields.
        yield return Json("unknown field (number)", [("noSuchField", "1")]);
        yield return Json("unknown field (object)", [("noSuchField", "{\"nested\": [1, 2]}")]);
        yield return Json("unknown field (1 MB string)", [("noSuchField", Quote(_oneMb))]);

        var oneMbSent = false;
        foreach (var field in route.BodyFields!)
        {
            foreach (var (label, raw) in Values(field, depth: 0))
            {
                if (label.Contains("1 MB", StringComparison.Ordinal))
                {
                    // One 1 MB value per route is enough to prove the size is handled; 10 KB goes to every string.
                    if (oneMbSent)
                    {
                        continue;
                    }
                    oneMbSent = true;
                }
                yield return Json($"{field.Name}{label}", [(field.Name, raw)]);
            }
        }
    }

    private IEnumerable<BadCase> QueryCases(Route route)
    {
        var baseUrl = Url(route, null, null);
        BadCase Query(string name, string parameter, string value) =>
            new(route, name, $"{baseUrl}?{parameter}={Uri.EscapeDataString(value)}", null);

        yield return Query("unknown query parameter", "noSuchParameter", "1");
        foreach (var parameter in route.QueryParameters)
        {
            var name = parameter.Name;
            if (name.EndsWith("pageSize", StringComparison.Ordinal))
            {
                yield return Query("page_size -1", name, "-1");
                yield return Query("page_size 201", name, "201");
                yield return Query("page_size 2^31", name, "2147483648");
                yield return Query("page_size 1e400", name, "1e400");
                yield return Query("page_size not a number", name, "ten");
                continue;
            }
            if (name.EndsWith("pageToken", StringComparison.Ordinal))
            {
                yield return Query("page_token garbage", name, "not-a-page-token!");
                yield return Query("page_token 4 KB", name, _fourKb);
                continue;
            }
            switch (parameter.Kind)
            {
                case FieldKind.String:
                    yield return Query($"{name} 4 KB string", name, _fourKb);
                    break;
                case FieldKind.Int32 or FieldKind.UInt:
                    yield return Query($"{name} not a number", name, "abc");
                    yield return Query($"{name} int32 overflow", name, "2147483648");
                    yield return Query($"{name} fraction", name, "1.5");
                    yield return Query($"{name} 1e400", name, "1e400");
                    break;
                case FieldKind.Int64:
                    yield return Query($"{name} not a number", name, "abc");
                    yield return Query($"{name} int64 overflow", name, "9223372036854775808");
                    break;
                case FieldKind.Number:
                    yield return Query($"{name} not a number", name, "abc");
                    yield return Query($"{name} 1e400", name, "1e400");
                    break;
                case FieldKind.Bool:
                    yield return Query($"{name} not a bool", name, "maybe");
                    break;
                case FieldKind.Enum:
                    yield return Query($"{name} unknown enum name", name, "NOT_A_VALUE");
                    yield return Query($"{name} unknown enum number", name, "12345");
                    break;
                case FieldKind.Timestamp:
                    yield return Query($"{name} not a timestamp", name, "not-a-date");
                    break;
                case FieldKind.Duration:
                    yield return Query($"{name} not a duration", name, "abc");
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Bad values for one field: (label suffix, raw JSON). Messages and arrays of messages recurse into their fields.</summary>
    private static IEnumerable<(string Label, string Raw)> Values(FieldShape field, int depth)
    {
        switch (field.Kind)
        {
            case FieldKind.String:
                yield return (" as number", "12345");
                yield return (" as bool", "true");
                yield return (" as object", "{}");
                yield return (" as array", "[\"a\"]");
                yield return (" 10 KB string", Quote(_tenKb));
                yield return (" 1 MB string", Quote(_oneMb));
                break;
            case FieldKind.Int32:
                yield return (" as string", "\"abc\"");
                yield return (" as bool", "true");
                yield return (" as object", "{}");
                yield return (" fraction", "1.5");
                yield return (" negative", "-1");
                yield return (" int32 overflow", "2147483648");
                yield return (" int32 underflow", "-2147483649");
                yield return (" int64 overflow", "9223372036854775808");
                yield return (" 1e400", "1e400");
                break;
            case FieldKind.UInt:
                yield return (" as string", "\"abc\"");
                yield return (" negative", "-1");
                yield return (" uint32 overflow", "4294967296");
                yield return (" 1e400", "1e400");
                break;
            case FieldKind.Int64:
                yield return (" as string", "\"abc\"");
                yield return (" as object", "{}");
                yield return (" fraction", "1.5");
                yield return (" negative", "\"-1\"");
                yield return (" int64 overflow (string)", "\"9223372036854775808\"");
                yield return (" int64 overflow (number)", "9223372036854775808");
                yield return (" 1e400", "1e400");
                break;
            case FieldKind.Number:
                yield return (" as string", "\"abc\"");
                yield return (" negative", "-1");
                yield return (" 1e400", "1e400");
                yield return (" NaN", "\"NaN\"");
                yield return (" Infinity", "\"Infinity\"");
                break;
            case FieldKind.Bool:
                yield return (" as string", "\"yes\"");
                yield return (" as number", "2");
                break;
            case FieldKind.Enum:
                yield return (" unknown enum name", "\"NOT_A_VALUE\"");
                yield return (" unknown enum number", "12345");
                yield return (" negative enum number", "-1");
                yield return (" enum as bool", "true");
                break;
            case FieldKind.Timestamp:
                yield return (" not a timestamp", "\"not-a-date\"");
                yield return (" impossible timestamp", "\"2020-13-45T99:99:99Z\"");
                yield return (" year 10000", "\"10000-01-01T00:00:00Z\"");
                yield return (" timestamp as number", "12345");
                break;
            case FieldKind.Duration:
                yield return (" not a duration", "\"abc\"");
                yield return (" duration overflow", "\"99999999999999999999s\"");
                break;
            case FieldKind.Map:
                yield return (" map as string", "\"x\"");
                yield return (" map as array", "[]");
                break;
            case FieldKind.Array:
                yield return (" array as string", "\"x\"");
                yield return (" array as object", "{}");
                if (field.Items is { } items)
                {
                    foreach (var (label, raw) in Values(items, depth + 1))
                    {
                        yield return ($"[0]{label}", $"[{raw}]");
                    }
                }
                break;
            case FieldKind.Object:
                yield return (" message as string", "\"x\"");
                yield return (" message as array", "[]");
                if (depth < 2)
                {
                    foreach (var child in field.Fields)
                    {
                        foreach (var (label, raw) in Values(child, depth + 1))
                        {
                            // Nested fields get the cheaper checks: no 1 MB values (one per route is enough).
                            if (label.Contains("1 MB", StringComparison.Ordinal))
                            {
                                continue;
                            }
                            yield return ($".{child.Name}{label}", $"{{{Quote(child.Name)}: {raw}}}");
                        }
                    }
                }
                break;
            default:
                break;
        }
    }

    /// <summary>A JSON object: a fresh requestId (when the request has one and the case does not replace it) and the given raw fields.</summary>
    private static string Body(Route route, IEnumerable<(string Field, string Raw)> fields)
    {
        var list = fields.ToList();
        var parts = new List<string>();
        if (route.BodyFields!.Any(f => f.Name == "requestId") && list.All(f => f.Field != "requestId"))
        {
            parts.Add($"\"requestId\": {Quote(Guid.NewGuid().ToString())}");
        }
        parts.AddRange(list.Select(f => $"{Quote(f.Field)}: {f.Raw}"));
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>The route's path with real ids, except <paramref name="badVariable"/> which gets the raw <paramref name="badValue"/>.</summary>
    private string Url(Route route, string? badVariable, string? badValue)
    {
        var builder = new StringBuilder(route.Template);
        foreach (var variable in route.PathVariables)
        {
            var value = variable == badVariable
                ? badValue!
                : Uri.EscapeDataString(realIds.TryGetValue(variable, out var id) ? id : Guid.NewGuid().ToString());
            builder.Replace("{" + variable + "}", value);
        }
        return builder.ToString();
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
