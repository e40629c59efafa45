using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bimtek.Gateway.Contracts;
using Bimtek.Gateway.Security;
using Google.Api;
using Google.Protobuf.Reflection;
using static Bimtek.Gateway.OpenApi.DocumentJson;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// Builds one OpenAPI 3.0 document for the whole REST surface from the services' contracts: every
/// <c>google.api.http</c> binding (additional bindings included) becomes an operation, path variables become
/// path parameters, the remaining request fields query parameters (GET/DELETE) or the JSON body, and every
/// message and enum a schema (<see cref="SchemaCatalog"/>) — each described by its proto comment. Each operation
/// lists its error responses (<see cref="ErrorResponses"/>), its security and the roles its route admits, and an
/// example body from the seed (<see cref="RequestExamples"/>). Production's plain-HTTP photo routes, which have no http
/// rule, are added by <see cref="PhotoOperations"/> and <see cref="VideoOperations"/>. Computed once; the gateway serves no RPC.
/// </summary>
public sealed partial class OpenApiDocumentBuilder(XmlDocs docs)
{
    public const string NdJson = "application/x-ndjson";

    /// <summary>The REST policy each service's routes carry (<c>ReverseProxy:Routes:*:AuthorizationPolicy</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string> PolicyByService = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["participants"] = GatewayPolicies.Participants,
        ["materials"] = GatewayPolicies.Materials,
        ["production"] = GatewayPolicies.Production,
        ["distribution"] = GatewayPolicies.Distribution,
        ["coordinator"] = GatewayPolicies.Quotas,
        ["notifications"] = GatewayPolicies.Notifications,
    };

    /// <summary>RPCs whose route carries its own policy (identity's routes differ per RPC).</summary>
    public static readonly IReadOnlyDictionary<string, string> PolicyByRpc = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bimtek.identity.v1.IdentityService.IssueSignInCode"] = GatewayPolicies.SignInCodes,
        ["bimtek.identity.v1.IdentityService.IssueInvitation"] = GatewayPolicies.Invitations,
    };

    /// <summary>The policy of the route that serves a method's REST bindings.</summary>
    public static string PolicyOf(string serviceName, MethodDescriptor method) =>
        PolicyByRpc.GetValueOrDefault(method.FullName) ?? PolicyByService[serviceName];

    private static readonly string[] _downloadTypes =
        ["application/pdf", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"];

    private readonly SchemaCatalog _schemas = new(docs);
    private readonly Dictionary<string, string> _bodies = new(StringComparer.Ordinal);

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
        PhotoOperations.AddTo(paths, _schemas);
        VideoOperations.AddTo(paths, _schemas);
        ErrorResponses.AddSchemas(_schemas);
        var document = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Bimtek suite REST API",
                ["version"] = "v1",
                ["description"] = "The REST surface of the Bimtek services (participants, materials, production, distribution, "
                    + "coordinator, identity), served through the gateway under /api/v1. Authenticate with an API key (X-Api-Key) or a bearer "
                    + "token. Mutating requests carry a client-chosen request_id (UUID): retrying with the same id is safe. "
                    + "Field names are the protos' JSON names; 64-bit integers are JSON numbers; unknown fields are refused.",
                ["contact"] = new JsonObject { ["name"] = "Disperindagkop-UKM Hulu Sungai Utara" },
                ["license"] = new JsonObject { ["name"] = "Proprietary" },
            },
            ["servers"] = new JsonArray { new JsonObject { ["url"] = "/" } },
            ["tags"] = tags,
            ["security"] = Security(),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["ApiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = ApiKeyAuthenticationHandler.HeaderName },
                    ["Bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
                ["schemas"] = _schemas.Components(),
            },
        };
        RemoveNulls(document);
        return document;
    }

    private static JsonArray Security() =>
    [
        new JsonObject { ["ApiKey"] = new JsonArray() },
        new JsonObject { ["Bearer"] = new JsonArray() },
    ];

    private JsonObject Operation(string serviceName, MethodDescriptor method, HttpRule binding, string template, string operationId)
    {
        var description = docs.Method(ServiceDocName(method.Service) + "." + method.Service.Name + "Base", method.Name) ?? method.Name;
        var pathFields = PathVariable().Matches(template).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var policy = PolicyOf(serviceName, method);
        var roles = new JsonArray([.. GatewayPolicies.RolesByPolicy[policy].Select(r => (JsonNode)r)]);
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray { serviceName },
            ["operationId"] = operationId,
            ["summary"] = FirstSentence(description),
            ["description"] = $"{description}\n\nCallers: {string.Join(", ", GatewayPolicies.RolesByPolicy[policy])} "
                + $"(gateway policy `{policy}`; the service narrows further per record).\n\ngRPC: `/{method.Service.FullName}/{method.Name}`",
            ["security"] = Security(),
            ["x-roles"] = roles,
        };
        var parameters = OperationParameters.Path(_schemas, method.InputType, pathFields);
        var hasBody = !string.IsNullOrEmpty(binding.Body);
        if (!hasBody)
        {
            OperationParameters.AddQuery(_schemas, parameters, method.InputType, pathFields);
        }
        else
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject
                    {
                        ["schema"] = BodySchema(method.InputType, binding.Body, pathFields),
                        ["example"] = RequestExamples.For(method.InputType, binding.Body, pathFields),
                    },
                },
            };
            if (binding.Body != "*")
            {
                OperationParameters.AddQuery(_schemas, parameters, method.InputType, [.. pathFields, binding.Body]);
            }
        }
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }
        var responses = new JsonObject { ["200"] = SuccessResponse(method, description) };
        ErrorResponses.AddTo(responses, method, hasBody);
        operation["responses"] = responses;
        return operation;
    }

    private JsonObject SuccessResponse(MethodDescriptor method, string description)
    {
        if (method.OutputType.FullName == HttpBody.Descriptor.FullName)
        {
            // The content type the proto comment names (each download's comment says which).
            var types = _downloadTypes.Where(t => description.Contains(t, StringComparison.Ordinal)).DefaultIfEmpty("application/octet-stream");
            var content = new JsonObject();
            foreach (var type in types)
            {
                content[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } };
            }
            return new JsonObject { ["description"] = $"A file ({string.Join(", ", types)}).", ["content"] = content };
        }
        var schema = _schemas.MessageRef(method.OutputType);
        return method.IsServerStreaming
            ? new JsonObject
            {
                ["description"] = "A stream of newline-delimited JSON: one message per line as it happens (heartbeats while nothing changes), until the deadline or disconnect; after any end, resume with the last message's changeSequence (see the operation's description).",
                ["content"] = new JsonObject { [NdJson] = new JsonObject { ["schema"] = schema } },
            }
            : new JsonObject
            {
                ["description"] = docs.Type(method.OutputType.ClrType) is { } doc ? FirstSentence(doc) : "OK",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
            };
    }

    /// <summary>
    /// <c>body: "*"</c>: the request message without the fields bound to the path, under the message's name (the
    /// request message appears nowhere else); otherwise the named field.
    /// </summary>
    private JsonNode BodySchema(MessageDescriptor input, string body, HashSet<string> pathFields)
    {
        if (body != "*")
        {
            var field = input.FindFieldByName(body);
            return field is null ? new JsonObject { ["type"] = "object" } : _schemas.FieldSchema(field);
        }
        if (pathFields.Count == 0)
        {
            return _schemas.MessageRef(input);
        }
        var key = string.Join(",", pathFields.Order(StringComparer.Ordinal));
        var name = input.FullName;
        for (var n = 2; _bodies.TryGetValue(name, out var existing) && existing != key; n++)
        {
            name = $"{input.FullName}{n}";
        }
        if (_bodies.TryAdd(name, key))
        {
            _schemas.MessageRef(input);
            var schema = _schemas.Get(input.FullName)!.DeepClone().AsObject();
            foreach (var field in input.Fields.InDeclarationOrder().Where(f => pathFields.Contains(f.Name)))
            {
                (schema["properties"] as JsonObject)?.Remove(field.JsonName);
                if (schema["required"] is JsonArray required && required.FirstOrDefault(r => r?.GetValue<string>() == field.JsonName) is { } entry)
                {
                    required.Remove(entry);
                }
            }
            if (schema["required"] is JsonArray { Count: 0 })
            {
                schema.Remove("required");
            }
            var summary = schema["description"]?.GetValue<string>();
            schema["description"] = (summary is null ? "" : summary + "\n\n")
                + $"The request body: {string.Join(", ", pathFields)} come from the path.";
            _schemas.Add(name, schema);
        }
        return Ref(name);
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

    /// <summary><c>{field.path}</c> or <c>{field.path=pattern/*}</c> in an http rule template.</summary>
    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9_.]+)(=[^}]*)?\}")]
    private static partial Regex PathVariable();
}
