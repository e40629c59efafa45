using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bimtek.Gateway.OpenApi;
using Bimtek.Gateway.Tests.Support;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// The OpenAPI document against the wire and the protos, without a running gateway: the checked-in copy
/// (what CI lints and the generated client is built from) is current; REQUIRED / OUTPUT_ONLY annotations read from
/// protos/ text appear as <c>required</c> / <c>readOnly</c>; every reason the services define is documented.
/// </summary>
public sealed partial class OpenApiContractTests
{
    public const string CheckedInPath = "gateway/Bimtek.Gateway/OpenApi/v1.json";

    private static readonly Lazy<JsonElement> _document = new(() => JsonDocument.Parse(ApiDocsEndpoints.Document).RootElement);

    private static JsonElement Schemas => _document.Value.GetProperty("components").GetProperty("schemas");

    [Fact]
    public void The_checked_in_document_is_the_one_the_gateway_serves()
    {
        var path = Path.Combine(ProtoRoutes.RepositoryRoot(), CheckedInPath);
        var checkedIn = File.Exists(path) ? File.ReadAllText(path) : "";
        if (checkedIn != ApiDocsEndpoints.Document)
        {
            // Refresh it so the developer only has to commit the change; the run still fails.
            File.WriteAllText(path, ApiDocsEndpoints.Document);
        }
        Assert.True(checkedIn == ApiDocsEndpoints.Document, $"{CheckedInPath} was stale and has been rewritten: commit it.");
    }

    [Fact]
    public void Every_required_proto_field_is_required_and_every_output_only_field_read_only()
    {
        var annotated = ProtoFieldBehaviours().ToList();
        Assert.True(annotated.Count(f => f.Behaviour == "REQUIRED") > 200, "the protos' REQUIRED annotations were not found");

        // A body without the fields bound to the path: (body schema, path parameter) pairs of every operation.
        var fromPath = new HashSet<(string, string)>();
        foreach (var operation in _document.Value.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()))
        {
            if (operation.Value.TryGetProperty("requestBody", out var body)
                && body.GetProperty("content").TryGetProperty("application/json", out var json)
                && json.GetProperty("schema").TryGetProperty("$ref", out var reference)
                && operation.Value.TryGetProperty("parameters", out var parameters))
            {
                foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path"))
                {
                    Assert.True(parameter.GetProperty("required").GetBoolean());
                    fromPath.Add((reference.GetString()!.Split('/')[^1], parameter.GetProperty("name").GetString()!));
                }
            }
        }
        var problems = new List<string>();
        foreach (var (message, field, behaviour) in annotated)
        {
            var json = JsonName(field);
            if (!Schemas.TryGetProperty(message, out var schema))
            {
                continue; // A message no REST operation uses (internal RPCs only).
            }
            if (!schema.GetProperty("properties").TryGetProperty(json, out var property))
            {
                if (!fromPath.Contains((message, field)))
                {
                    problems.Add($"{message}.{json} missing");
                }
            }
            else if (behaviour == "REQUIRED" && !(schema.TryGetProperty("required", out var required)
                && required.EnumerateArray().Any(r => r.GetString() == json)))
            {
                problems.Add($"{message}.{json} not required");
            }
            else if (behaviour == "OUTPUT_ONLY" && !(property.TryGetProperty("readOnly", out var readOnly) && readOnly.GetBoolean()))
            {
                problems.Add($"{message}.{json} not readOnly");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void The_document_describes_the_wire_formats()
    {
        var paths = _document.Value.GetProperty("paths");
        var watch = paths.GetProperty("/api/v1/quotas/programmes/{programme_id}/progress:watch").GetProperty("get");
        Assert.True(watch.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/x-ndjson", out _));

        var pdf = paths.GetProperty("/api/v1/handovers/{handover_id}/document").GetProperty("get");
        Assert.Equal(["application/pdf"], pdf.GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name));
        foreach (var csv in paths.EnumerateObject().Where(p => p.Name.EndsWith("/csv", StringComparison.Ordinal)))
        {
            Assert.Equal(["text/csv"], csv.Value.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name));
        }

        // Transcoding writes int64 as a JSON number (WriteInt64sAsStrings is off): the document says integer.
        var balance = Schemas.GetProperty("bimtek.materials.v1.MaterialQuantity").GetProperty("properties").GetProperty("quantity");
        Assert.Equal("integer", balance.GetProperty("type").GetString());
        Assert.Equal("int64", balance.GetProperty("format").GetString());

        var kinds = Schemas.GetProperty("bimtek.distribution.v1.RecipientKind");
        Assert.Contains("RECIPIENT_KIND_DISASTER_MANAGEMENT_AGENCY", kinds.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        foreach (var schema in Schemas.EnumerateObject().Where(s => s.Name.StartsWith("bimtek.", StringComparison.Ordinal) && s.Value.GetProperty("type").GetString() == "object"))
        {
            Assert.False(schema.Value.GetProperty("additionalProperties").GetBoolean(), schema.Name);
        }
    }

    /// <summary>Production's photo routes (plain HTTP, raw image bytes) with their real content types and statuses.</summary>
    [Fact]
    public void The_photo_routes_are_documented_with_image_bodies_and_their_statuses()
    {
        var paths = _document.Value.GetProperty("paths");
        var upload = paths.GetProperty("/api/v1/programmes/{programme_id}/photos").GetProperty("post");
        Assert.Equal("UploadPhoto", upload.GetProperty("operationId").GetString());
        Assert.Equal(["image/jpeg", "image/png", "image/webp"],
            upload.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.All(upload.GetProperty("requestBody").GetProperty("content").EnumerateObject(),
            c => Assert.Equal("binary", c.Value.GetProperty("schema").GetProperty("format").GetString()));
        var parameters = upload.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal("path", parameters["programme_id"].GetProperty("in").GetString());
        Assert.True(parameters["requestId"].GetProperty("required").GetBoolean());
        Assert.Equal("uuid", parameters["requestId"].GetProperty("schema").GetProperty("format").GetString());
        Assert.False(parameters["traineeId"].GetProperty("required").GetBoolean());
        var created = upload.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("#/components/schemas/" + PhotoOperations.UploadedPhotoSchema, created.GetProperty("$ref").GetString());
        Assert.False(upload.GetProperty("responses").TryGetProperty("200", out _));
        Assert.Equal(["PHOTO_TYPE_NOT_SUPPORTED", "PHOTO_CONTENT_TYPE_MISMATCH"], Reasons(upload, "415"));
        Assert.Equal(["REQUEST_TOO_LARGE", "PHOTO_TOO_LARGE", "PHOTO_DIMENSIONS_TOO_LARGE"], Reasons(upload, "413"));
        Assert.Contains("REQUEST_ID_REUSED", Reasons(upload, "400"));
        Assert.Contains("PHOTO_UNREADABLE", Reasons(upload, "400"));

        var read = paths.GetProperty("/api/v1/photos/{photo_id}").GetProperty("get");
        Assert.Equal("GetPhoto", read.GetProperty("operationId").GetString());
        Assert.Equal(["image/jpeg", "image/png", "image/webp"],
            read.GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.True(read.GetProperty("responses").TryGetProperty("304", out _));
        var size = read.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "size");
        Assert.Equal(["display", "thumb"], size.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        foreach (var operation in new[] { upload, read })
        {
            Assert.Equal(["operator", "instructor", "health_expert", "trainee", "integrator"], operation.GetProperty("x-roles").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(["production"], operation.GetProperty("tags").EnumerateArray().Select(r => r.GetString()));
        }
        // The answer's fields are what production writes (Api/PhotoEndpoints.ToJson).
        var fields = Schemas.GetProperty(PhotoOperations.UploadedPhotoSchema).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        var production = typeof(Bimtek.Production.Program).Assembly;
        var row = Activator.CreateInstance(production.GetType("Bimtek.Production.Data.PhotoRow", throwOnError: true)!)!;
        var answer = production.GetType("Bimtek.Production.Api.PhotoEndpoints", throwOnError: true)!.GetMethod("ToJson")!.Invoke(null, [row])!;
        Assert.Equal(answer.GetType().GetProperties().Select(p => p.Name).Order(), fields.Order());
    }

    [Fact]
    public void Every_operation_has_security_error_responses_and_an_example_body()
    {
        var count = 0;
        var plainCount = 0;
        foreach (var path in _document.Value.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                count++;
                var name = $"{operation.Name} {path.Name}";
                Assert.Equal(2, operation.Value.GetProperty("security").GetArrayLength());
                Assert.NotEmpty(operation.Value.GetProperty("x-roles").EnumerateArray());
                var responses = operation.Value.GetProperty("responses");
                foreach (var status in new[] { "400", "401", "403", "404", "405", "429", "500", "503", "504" })
                {
                    Assert.True(responses.TryGetProperty(status, out var response), $"{name} lacks {status}");
                    Assert.NotEmpty(response.GetProperty("x-error-reasons").EnumerateArray());
                }
                var plain = operation.Value.TryGetProperty(PhotoOperations.PlainHttpExtension, out var flag) && flag.GetBoolean();
                if (plain)
                {
                    plainCount++;
                }
                if (operation.Value.TryGetProperty("requestBody", out var body) && !plain)
                {
                    Assert.True(body.GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _), $"{name} has no example");
                }
            }
        }
        Assert.Equal(ProtoRoutes.RestBindings.Count() + PhotoOperations.Count + VideoOperations.Count, count);
        Assert.Equal(PhotoOperations.Count + VideoOperations.Count, plainCount);

        var create = _document.Value.GetProperty("paths").GetProperty("/api/v1/programmes").GetProperty("post");
        var example = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Contains("sasirangan", example.ToString());
        Assert.Contains("PROGRAMME_CODE_TAKEN", Reasons(create, "409"));
        var report = _document.Value.GetProperty("paths").GetProperty("/api/v1/output-reports").GetProperty("post");
        Assert.Contains("TRAINEE_NOT_ENROLLED", Reasons(report, "400"));
        Assert.Contains("REQUEST_ID_REUSED", Reasons(report, "400"));
    }

    /// <summary>Every reason constant the services define is listed by some operation (internal RPCs aside).</summary>
    [Fact]
    public void Every_reason_the_services_define_is_documented()
    {
        var documented = new HashSet<string>(OperationReasons.All, StringComparer.Ordinal);
        foreach (var path in _document.Value.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Value.TryGetProperty("x-error-reasons", out _)))
                {
                    documented.UnionWith(response.Value.GetProperty("x-error-reasons").EnumerateArray().Select(r => r.GetString()!));
                }
            }
        }
        var defined = ServiceReasonConstants().ToList();
        Assert.True(defined.Count > 40, "the services' reason constants were not found");
        Assert.Empty(defined.Where(r => !documented.Contains(r.Value)).Select(r => $"{r.Type}.{r.Name} = {r.Value}"));
    }

    private static IEnumerable<string> Reasons(JsonElement operation, string status) =>
        operation.GetProperty("responses").GetProperty(status).GetProperty("x-error-reasons").EnumerateArray().Select(r => r.GetString()!);

    /// <summary>Constant UPPER_SNAKE strings of the services' reason classes (<c>*Reasons</c>, and the handler classes that still hold some).</summary>
    private static IEnumerable<(string Type, string Name, string Value)> ServiceReasonConstants()
    {
        var assemblies = new[]
        {
            typeof(Bimtek.ServiceDefaults.Errors.ErrorReasons).Assembly,
            typeof(Bimtek.Participants.Program).Assembly,
            typeof(Bimtek.Materials.Program).Assembly,
            typeof(Bimtek.Production.Program).Assembly,
            typeof(Bimtek.Distribution.Program).Assembly,
            typeof(Bimtek.Identity.Program).Assembly,
            typeof(Bimtek.Notifications.Program).Assembly,
        };
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            var isReasons = type.Name.EndsWith("Reasons", StringComparison.Ordinal) || type.Name.EndsWith("GrpcService", StringComparison.Ordinal);
            if (!isReasons)
            {
                continue;
            }
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                if (field.GetRawConstantValue() is string value && UpperSnake().IsMatch(value) && field.Name != "Domain")
                {
                    yield return (type.Name, field.Name, value);
                }
            }
        }
    }

    /// <summary>(message full name, field name, REQUIRED|OUTPUT_ONLY) read from the proto text, nested messages included.</summary>
    private static IEnumerable<(string Message, string Field, string Behaviour)> ProtoFieldBehaviours()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(ProtoRoutes.RepositoryRoot(), "protos"), "*.proto", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file).Select(l => l.Contains("//", StringComparison.Ordinal) ? l[..l.IndexOf("//", StringComparison.Ordinal)] : l).ToList();
            var package = lines.Select(l => PackageLine().Match(l)).First(m => m.Success).Groups[1].Value;
            var scopes = new Stack<string?>();
            foreach (var line in lines)
            {
                var open = BlockStart().Match(line);
                if (open.Success)
                {
                    scopes.Push(open.Groups[1].Value == "message" ? open.Groups[2].Value : null);
                }
                else if (line.Contains('{', StringComparison.Ordinal))
                {
                    scopes.Push(null);
                }
                var field = FieldLine().Match(line);
                if (field.Success && scopes.Count > 0 && scopes.Peek() is not null)
                {
                    var message = package + "." + string.Join(".", scopes.Reverse().Where(s => s is not null));
                    foreach (var behaviour in new[] { "REQUIRED", "OUTPUT_ONLY" }.Where(b => line.Contains("field_behavior) = " + b, StringComparison.Ordinal)))
                    {
                        yield return (message, field.Groups[1].Value, behaviour);
                    }
                }
                if (line.Contains('}', StringComparison.Ordinal) && scopes.Count > 0)
                {
                    scopes.Pop();
                }
            }
        }
    }

    /// <summary>protoc's default JSON name: lowerCamelCase of the field name.</summary>
    private static string JsonName(string field) => UnderscoreLetter().Replace(field, m => m.Groups[1].Value.ToUpperInvariant());

    [GeneratedRegex(@"^\s*package\s+([\w.]+)\s*;")]
    private static partial Regex PackageLine();

    [GeneratedRegex(@"^\s*(message|enum|service|oneof)\s+(\w+)\s*\{")]
    private static partial Regex BlockStart();

    [GeneratedRegex(@"^\s*(?:repeated\s+|optional\s+)?[\w.]+\s+(\w+)\s*=\s*\d+")]
    private static partial Regex FieldLine();

    [GeneratedRegex("_([a-z0-9])")]
    private static partial Regex UnderscoreLetter();

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")]
    private static partial Regex UpperSnake();
}
