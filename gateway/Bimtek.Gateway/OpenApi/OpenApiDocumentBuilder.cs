using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bimtek.Gateway.Contracts;
using Bimtek.Gateway.Security;
using Google.Api;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// Builds one OpenAPI 3.0 document for the whole REST surface from the services' contracts: every
/// <c>google.api.http</c> binding (additional bindings included) becomes an operation, path variables become
/// path parameters, the remaining request fields query parameters (GET/DELETE) or the JSON body, and every
/// message and enum a schema — each described by its proto comment. Computed once; the gateway serves no RPC.
/// </summary>
public sealed partial class OpenApiDocumentBuilder(XmlDocs docs)
{
    private const string SchemaRef = "#/components/schemas/";
    private const string StatusSchema = "google.rpc.Status";
    private readonly JsonObject _schemas = new();

    public static JsonObject Build() => new OpenApiDocumentBuilder(XmlDocs.Load(typeof(OpenApiDocumentBuilder).Assembly)).BuildDocument();

    public JsonObject BuildDocument()
    {
        var paths = new JsonObject();
        var tags = new JsonArray();
        foreach (var (name, service) in ContractCatalog.Services)
        {
            tags.Add(new JsonObject { ["name"] = name, ["description"] = docs.Named("T:" + ServiceDocName(service)) ?? service.FullName });
            foreach (var method in service.Methods)
            {
                if (ContractCatalog.HttpRuleOf(method) is not { } rule)
                {
                    continue;
                }
                var bindings = new List<HttpRule> { rule };
                bindings.AddRange(rule.AdditionalBindings);
                for (var i = 0; i < bindings.Count; i++)
                {
                    var (verb, template) = VerbAndPath(bindings[i]);
                    if (template is null)
                    {
                        continue;
                    }
                    var path = PathVariable().Replace(template, m => "{" + m.Groups["name"].Value + "}");
                    if (paths[path] is not JsonObject item)
                    {
                        item = new JsonObject();
                        paths[path] = item;
                    }
                    item[verb] = Operation(name, method, bindings[i], template, i == 0 ? method.Name : $"{method.Name}{i + 1}");
                }
            }
        }
        _schemas[StatusSchema] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "The error body of every failed call (google.rpc.Status): a gRPC code, a message, and details such as "
                + "google.rpc.ErrorInfo (a stable reason), google.rpc.BadRequest (field violations) and google.rpc.PreconditionFailure.",
            ["properties"] = new JsonObject
            {
                ["code"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["description"] = "The gRPC status code." },
                ["message"] = new JsonObject { ["type"] = "string" },
                ["details"] = new JsonObject { ["type"] = "array", ["items"] = AnySchema() },
            },
        };
        var document = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Bimtek suite REST API",
                ["version"] = "v1",
                ["description"] = "The REST surface of the Bimtek services (participants, materials, production, distribution, "
                    + "coordinator), served through the gateway under /api/v1. Authenticate with an API key (X-Api-Key) or a bearer "
                    + "token. Mutating requests carry a client-chosen request_id (UUID): retrying with the same id is safe.",
            },
            ["servers"] = new JsonArray { new JsonObject { ["url"] = "/" } },
            ["tags"] = tags,
            ["security"] = new JsonArray
            {
                new JsonObject { ["ApiKey"] = new JsonArray() },
                new JsonObject { ["Bearer"] = new JsonArray() },
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["ApiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = ApiKeyAuthenticationHandler.HeaderName },
                    ["Bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
                ["schemas"] = Sorted(_schemas),
            },
        };
        RemoveNulls(document);
        return document;
    }

    /// <summary>Absent descriptions are left out rather than written as null.</summary>
    private static void RemoveNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }
                foreach (var (_, value) in obj)
                {
                    RemoveNulls(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RemoveNulls(item);
                }
                break;
        }
    }

    private JsonObject Operation(string serviceName, MethodDescriptor method, HttpRule binding, string template, string operationId)
    {
        var description = docs.Method(ServiceDocName(method.Service) + "." + method.Service.Name + "Base", method.Name) ?? method.Name;
        var pathFields = PathVariable().Matches(template).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var parameters = new JsonArray();
        foreach (var fieldPath in pathFields)
        {
            var field = ResolveField(method.InputType, fieldPath);
            parameters.Add(new JsonObject
            {
                ["name"] = fieldPath,
                ["in"] = "path",
                ["required"] = true,
                ["description"] = field is null ? null : FieldDoc(field),
                ["schema"] = field is null ? new JsonObject { ["type"] = "string" } : FieldSchema(field),
            });
        }
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray { serviceName },
            ["operationId"] = operationId,
            ["summary"] = FirstSentence(description),
            ["description"] = $"{description}\n\ngRPC: `/{method.Service.FullName}/{method.Name}`",
        };
        if (string.IsNullOrEmpty(binding.Body))
        {
            AddQueryParameters(parameters, method.InputType, "", "", pathFields, depth: 0);
        }
        else
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = BodySchema(method.InputType, binding.Body, pathFields) } },
            };
            if (binding.Body != "*")
            {
                var bodyField = binding.Body;
                AddQueryParameters(parameters, method.InputType, "", "", [.. pathFields, bodyField], depth: 0);
            }
        }
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }
        operation["responses"] = new JsonObject
        {
            ["200"] = SuccessResponse(method),
            ["default"] = new JsonObject
            {
                ["description"] = "An error: HTTP 400/401/403/404/409/429/503/504 with a google.rpc.Status body.",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(StatusSchema) } },
            },
        };
        return operation;
    }

    private JsonObject SuccessResponse(MethodDescriptor method)
    {
        if (method.OutputType.FullName == HttpBody.Descriptor.FullName)
        {
            return new JsonObject
            {
                ["description"] = "A file (its content type says which: PDF, CSV…).",
                ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } } },
            };
        }
        var schema = MessageRef(method.OutputType);
        return method.IsServerStreaming
            ? new JsonObject
            {
                ["description"] = "A stream: the messages are written one after another as they happen, until the deadline or disconnect.",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "array", ["items"] = schema } } },
            }
            : new JsonObject
            {
                ["description"] = docs.Type(method.OutputType.ClrType) is { } doc ? FirstSentence(doc) : "OK",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
            };
    }

    /// <summary><c>body: "*"</c>: the request message without the fields bound to the path; otherwise the named field.</summary>
    private JsonNode BodySchema(MessageDescriptor input, string body, HashSet<string> pathFields)
    {
        if (body != "*")
        {
            var field = input.FindFieldByName(body);
            return field is null ? new JsonObject { ["type"] = "object" } : FieldSchema(field);
        }
        var reference = MessageRef(input);
        if (pathFields.Count == 0 || _schemas[input.FullName] is not JsonObject full)
        {
            return reference;
        }
        var copy = full.DeepClone().AsObject();
        if (copy["properties"] is JsonObject properties)
        {
            foreach (var field in input.Fields.InDeclarationOrder().Where(f => pathFields.Contains(f.Name)))
            {
                properties.Remove(field.JsonName);
            }
        }
        return copy;
    }

    private void AddQueryParameters(JsonArray parameters, MessageDescriptor message, string protoPrefix, string jsonPrefix, HashSet<string> exclude, int depth)
    {
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            var protoPath = protoPrefix + field.Name;
            if (exclude.Contains(protoPath) || field.IsMap)
            {
                continue;
            }
            var jsonPath = jsonPrefix + field.JsonName;
            if (field.FieldType == FieldType.Message && !field.IsRepeated && ScalarLike(field.MessageType) is null && depth < 3)
            {
                AddQueryParameters(parameters, field.MessageType, protoPath + ".", jsonPath + ".", exclude, depth + 1);
                continue;
            }
            parameters.Add(new JsonObject
            {
                ["name"] = jsonPath,
                ["in"] = "query",
                ["required"] = false,
                ["description"] = FieldDoc(field),
                ["schema"] = FieldSchema(field),
            });
        }
    }

    private static FieldDescriptor? ResolveField(MessageDescriptor message, string path)
    {
        FieldDescriptor? field = null;
        var current = message;
        foreach (var segment in path.Split('.'))
        {
            field = current?.FindFieldByName(segment);
            if (field is null)
            {
                return null;
            }
            current = field.FieldType == FieldType.Message ? field.MessageType : null;
        }
        return field;
    }

    private JsonNode FieldSchema(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = SingleSchema(field.MessageType.FindFieldByNumber(2)) };
        }
        var single = SingleSchema(field);
        return field.IsRepeated ? new JsonObject { ["type"] = "array", ["items"] = single } : single;
    }

    private JsonNode SingleSchema(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double => new JsonObject { ["type"] = "number", ["format"] = "double" },
        FieldType.Float => new JsonObject { ["type"] = "number", ["format"] = "float" },
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
        FieldType.UInt32 or FieldType.Fixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0 },
        // Proto JSON writes 64-bit integers as strings.
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 =>
            new JsonObject { ["type"] = "string", ["format"] = "int64" },
        FieldType.Bool => new JsonObject { ["type"] = "boolean" },
        FieldType.String => new JsonObject { ["type"] = "string" },
        FieldType.Bytes => new JsonObject { ["type"] = "string", ["format"] = "byte" },
        FieldType.Enum => EnumRef(field.EnumType),
        _ => ScalarLike(field.MessageType) ?? MessageRef(field.MessageType),
    };

    /// <summary>Well-known types that proto JSON writes as scalars or free-form values.</summary>
    private static JsonObject? ScalarLike(MessageDescriptor message) => message.FullName switch
    {
        "google.protobuf.Timestamp" => new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "RFC 3339, UTC." },
        "google.protobuf.Duration" => new JsonObject { ["type"] = "string", ["description"] = "Seconds with an s suffix, e.g. 3.5s." },
        "google.protobuf.FieldMask" => new JsonObject { ["type"] = "string", ["description"] = "Comma-separated field paths." },
        "google.protobuf.Empty" => new JsonObject { ["type"] = "object" },
        "google.protobuf.Struct" => new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
        "google.protobuf.Value" => new JsonObject { ["description"] = "Any JSON value." },
        "google.protobuf.ListValue" => new JsonObject { ["type"] = "array", ["items"] = new JsonObject() },
        "google.protobuf.Any" => AnySchema(),
        "google.protobuf.StringValue" or "google.protobuf.BytesValue" => new JsonObject { ["type"] = "string", ["nullable"] = true },
        "google.protobuf.BoolValue" => new JsonObject { ["type"] = "boolean", ["nullable"] = true },
        "google.protobuf.Int32Value" or "google.protobuf.UInt32Value" => new JsonObject { ["type"] = "integer", ["nullable"] = true },
        "google.protobuf.Int64Value" or "google.protobuf.UInt64Value" => new JsonObject { ["type"] = "string", ["format"] = "int64", ["nullable"] = true },
        "google.protobuf.DoubleValue" or "google.protobuf.FloatValue" => new JsonObject { ["type"] = "number", ["nullable"] = true },
        _ => null,
    };

    private static JsonObject AnySchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["@type"] = new JsonObject { ["type"] = "string" } },
        ["additionalProperties"] = true,
    };

    private JsonObject MessageRef(MessageDescriptor message)
    {
        if (!_schemas.ContainsKey(message.FullName))
        {
            // Reserve the name first: messages may refer to themselves.
            _schemas[message.FullName] = new JsonObject();
            var properties = new JsonObject();
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                var schema = FieldSchema(field);
                var doc = FieldDoc(field);
                if (doc is not null)
                {
                    schema = schema is JsonObject { } obj && !obj.ContainsKey("$ref")
                        ? WithDescription(obj, doc)
                        : new JsonObject { ["allOf"] = new JsonArray { schema }, ["description"] = doc };
                }
                properties[field.JsonName] = schema;
            }
            _schemas[message.FullName] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = message.ClrType is null ? null : docs.Type(message.ClrType),
                ["properties"] = properties,
            };
        }
        return Ref(message.FullName);
    }

    private JsonObject EnumRef(EnumDescriptor descriptor)
    {
        if (!_schemas.ContainsKey(descriptor.FullName))
        {
            var values = new JsonArray();
            var lines = new List<string>();
            var memberDocs = descriptor.ClrType is null ? [] : descriptor.ClrType.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (Original: f.GetCustomAttribute<Google.Protobuf.Reflection.OriginalNameAttribute>()?.Name, Doc: docs.Field(descriptor.ClrType, f.Name)))
                .Where(f => f.Original is not null)
                .ToDictionary(f => f.Original!, f => f.Doc, StringComparer.Ordinal);
            foreach (var value in descriptor.Values)
            {
                values.Add(value.Name);
                if (memberDocs.GetValueOrDefault(value.Name) is { } doc)
                {
                    lines.Add($"- `{value.Name}`: {doc.Replace('\n', ' ')}");
                }
            }
            var summary = descriptor.ClrType is null ? null : docs.Type(descriptor.ClrType);
            _schemas[descriptor.FullName] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = values,
                ["description"] = string.Join("\n", new[] { summary }.Concat(lines).Where(l => !string.IsNullOrEmpty(l))),
            };
        }
        return Ref(descriptor.FullName);
    }

    private string? FieldDoc(FieldDescriptor field) =>
        field.ContainingType.ClrType is { } type ? docs.Property(type, field.PropertyName) : null;

    private static JsonObject WithDescription(JsonObject schema, string description)
    {
        var copy = schema.DeepClone().AsObject();
        copy["description"] = copy["description"] is JsonValue existing ? $"{description}\n{existing}" : description;
        return copy;
    }

    private static JsonObject Ref(string name) => new() { ["$ref"] = SchemaRef + name };

    private static JsonObject Sorted(JsonObject schemas)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in schemas.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            schemas.Remove(key);
            sorted[key] = value;
        }
        return sorted;
    }

    private static string ServiceDocName(ServiceDescriptor service) =>
        $"{service.File.GetOptions()?.CsharpNamespace ?? service.File.Package}.{service.Name}";

    private static (string Verb, string? Path) VerbAndPath(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => ("get", rule.Get),
        HttpRule.PatternOneofCase.Post => ("post", rule.Post),
        HttpRule.PatternOneofCase.Put => ("put", rule.Put),
        HttpRule.PatternOneofCase.Delete => ("delete", rule.Delete),
        HttpRule.PatternOneofCase.Patch => ("patch", rule.Patch),
        HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind.ToLowerInvariant(), rule.Custom.Path),
        _ => ("get", null),
    };

    private static string FirstSentence(string text)
    {
        var flat = text.Replace('\n', ' ');
        var end = flat.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? flat.TrimEnd('.') : flat[..end];
    }

    /// <summary><c>{field.path}</c> or <c>{field.path=pattern/*}</c> in an http rule template.</summary>
    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9_.]+)(=[^}]*)?\}")]
    private static partial Regex PathVariable();
}
