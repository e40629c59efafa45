using System.Text.Json.Nodes;
using Bimtek.Gateway.Errors;
using Bimtek.Gateway.Security;
using Bimtek.ServiceDefaults.Errors;
using static Bimtek.Gateway.OpenApi.DocumentJson;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// The builder of production's plain-HTTP routes (raw bytes, not transcoded JSON, so no http rule in protos/): the
/// photos' (<see cref="PhotoOperations"/>) and the lesson videos' (<see cref="VideoOperations"/>). It writes what their
/// operations share — the operation's frame (tag, callers, security, <c>x-plain-http: true</c>), binary bodies, the
/// upload's 201, header and query parameters, the error responses every gateway route can answer and the read-only
/// fields of the upload's answer — so each of them says only what is its own.
/// </summary>
internal static class BinaryRoutes
{
    public const string PlainHttpExtension = "x-plain-http";

    private const string Service = "production";
    private const string Policy = GatewayPolicies.Production;

    /// <summary>An operation of <paramref name="bytes"/> (e.g. "raw image bytes"), for the callers of production's gateway policy.</summary>
    public static JsonObject Operation(string operationId, string summary, string description, JsonArray parameters, JsonObject? requestBody,
        JsonObject responses, string bytes)
    {
        var roles = new JsonArray([.. GatewayPolicies.RolesByPolicy[Policy].Select(r => (JsonNode)r)]);
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray { Service },
            ["operationId"] = operationId,
            ["summary"] = summary,
            ["description"] = $"{description}\n\nCallers: {string.Join(", ", GatewayPolicies.RolesByPolicy[Policy])} "
                + $"(gateway policy `{Policy}`; the service narrows further per record).\n\nPlain HTTP (no gRPC method): {bytes}.",
            ["security"] = new JsonArray { new JsonObject { ["ApiKey"] = new JsonArray() }, new JsonObject { ["Bearer"] = new JsonArray() } },
            ["x-roles"] = roles,
            [PlainHttpExtension] = true,
            ["parameters"] = parameters,
        };
        if (requestBody is not null)
        {
            operation["requestBody"] = requestBody;
        }
        operation["responses"] = responses;
        return operation;
    }

    /// <summary>The statuses every route of the gateway can answer (as <see cref="ErrorResponses.AddTo"/> lists them).</summary>
    public static void AddCommon(JsonObject responses, string forbidden, string notFound)
    {
        responses["401"] = ErrorResponses.Response("No valid API key or bearer token.", [GatewayErrors.Unauthenticated]);
        responses["403"] = ErrorResponses.Response(forbidden, [GatewayErrors.PermissionDenied]);
        responses["404"] = ErrorResponses.Response(notFound, [GatewayErrors.NotFound]);
        responses["405"] = ErrorResponses.Response("The path exists but not with this HTTP method.", [GatewayErrors.MethodNotAllowed]);
        responses["429"] = ErrorResponses.Response("Too many requests from this client: wait for Retry-After (also in google.rpc.RetryInfo).",
            [GatewayErrors.RateLimited]);
        responses["500"] = ErrorResponses.Response("An unexpected failure; the request can be retried with the same requestId.", [ErrorReasons.Internal]);
        responses["503"] = ErrorResponses.Response("Production (or one it depends on) is unavailable: retry after Retry-After.", [GatewayErrors.Unavailable]);
        responses["504"] = ErrorResponses.Response("Production did not answer in time: retry with the same requestId.", [GatewayErrors.Timeout]);
    }

    /// <summary>The 400 of an upload: its query, a reused requestId, and the reason of a body that cannot be used.</summary>
    public static JsonObject UploadInvalid(string description, string bodyReason) => ErrorResponses.Response(description,
        [ErrorReasons.InvalidFields, ErrorReasons.MalformedRequestId, ErrorReasons.MalformedId, ErrorReasons.InvalidValue,
            ErrorReasons.RequestIdReused, bodyReason]);

    /// <summary>The 400 of a read: a malformed id or query.</summary>
    public static JsonObject ReadInvalid(string description) =>
        ErrorResponses.Response(description, [ErrorReasons.InvalidFields, ErrorReasons.MalformedId, ErrorReasons.InvalidValue]);

    /// <summary>Raw bytes of one of <paramref name="types"/>.</summary>
    public static JsonObject Binary(IEnumerable<string> types)
    {
        var content = new JsonObject();
        foreach (var type in types)
        {
            content[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } };
        }
        return content;
    }

    /// <summary>The required request body of an upload: raw bytes of one of <paramref name="types"/>.</summary>
    public static JsonObject BinaryBody(string description, IEnumerable<string> types) => new()
    {
        ["required"] = true,
        ["description"] = description,
        ["content"] = Binary(types),
    };

    /// <summary>The 201 of an upload: where the new record is, and the answer (<paramref name="schema"/>).</summary>
    public static JsonObject Created(string description, string location, string schema) => new()
    {
        ["description"] = description,
        ["headers"] = new JsonObject { ["Location"] = Header(location) },
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(schema) } },
    };

    /// <summary>A response header (a string).</summary>
    public static JsonObject Header(string description) => new()
    {
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    public static JsonObject PathId(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
    };

    public static JsonObject Query(string name, string description, bool required, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = required,
        ["description"] = description,
        ["schema"] = schema,
    };

    /// <summary>The upload's idempotency key.</summary>
    public static JsonObject RequestId() => Query("requestId", "Idempotency key: client-chosen UUID (the same upload with the same id answers the same).",
        required: true, new JsonObject { ["type"] = "string", ["format"] = "uuid" });

    /// <summary>An optional request header (a string).</summary>
    public static JsonObject HeaderParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "header",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" },
    };

    /// <summary>The If-None-Match of a read (a 304 for the tag of the copy held).</summary>
    public static JsonObject IfNoneMatch() => HeaderParameter("If-None-Match", "The ETag of a copy the caller holds.");

    /// <summary>A read-only string field of an upload's answer.</summary>
    public static JsonObject ReadOnlyText(string description, string? format = null) => new()
    {
        ["type"] = "string",
        ["format"] = format,
        ["description"] = description,
        ["readOnly"] = true,
    };

    /// <summary>A read-only int64 field of an upload's answer.</summary>
    public static JsonObject ReadOnlyInt64(string description) => new()
    {
        ["type"] = "integer",
        ["format"] = "int64",
        ["description"] = description,
        ["readOnly"] = true,
    };

    /// <summary>The read-only content type of an upload's answer: one of <paramref name="types"/>.</summary>
    public static JsonObject ReadOnlyContentType(IEnumerable<string> types, string description) => new()
    {
        ["type"] = "string",
        ["enum"] = new JsonArray([.. types.Select(t => (JsonNode)t)]),
        ["description"] = description,
        ["readOnly"] = true,
    };
}
