using System.Text.Json.Nodes;
using Bimtek.Gateway.Errors;
using Bimtek.ServiceDefaults.Errors;
using Google.Protobuf.Reflection;
using static Bimtek.Gateway.OpenApi.DocumentJson;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// The error responses of an operation: one per HTTP status it can answer, each naming the
/// <c>ErrorInfo.reason</c> values that come with it (in the description and as <c>x-error-reasons</c>), all with
/// the <c>google.rpc.Status</c> body. Shared reasons come from the operation's shape (a body, a request id, a
/// path); domain reasons from <see cref="OperationReasons"/>.
/// </summary>
public static class ErrorResponses
{
    public const string StatusSchema = "google.rpc.Status";

    public static void AddTo(JsonObject responses, MethodDescriptor method, bool hasBody)
    {
        var invalid = ValidationReasons(method, hasBody);
        if (method.InputType.FindFieldByName("request_id") is not null)
        {
            invalid.Add(ErrorReasons.RequestIdReused);
        }
        invalid.AddRange(OperationReasons.Precondition.GetValueOrDefault(method.Name) ?? []);
        responses["400"] = Response("The request is invalid (INVALID_ARGUMENT, field violations in google.rpc.BadRequest, each with "
            + "its own reason and the field's JSON name; the error's reason is theirs when they share one, else INVALID_FIELDS) "
            + "or a rule refuses it now (FAILED_PRECONDITION, google.rpc.PreconditionFailure).", invalid);
        responses["401"] = Response("No valid API key or bearer token.", [GatewayErrors.Unauthenticated]);
        responses["403"] = Response("The caller's roles, or its relation to the record, do not allow this.", [GatewayErrors.PermissionDenied]);
        responses["404"] = Response("A record the request names does not exist (or is not visible to the caller).", [GatewayErrors.NotFound]);
        responses["405"] = Response("The path exists but not with this HTTP method.", [GatewayErrors.MethodNotAllowed]);
        if (OperationReasons.Conflict.GetValueOrDefault(method.Name) is { } conflicts)
        {
            responses["409"] = Response("A record with the same natural key exists already (ALREADY_EXISTS).", conflicts);
        }
        if (hasBody)
        {
            responses["413"] = Response("The request body is larger than this operation accepts.", [GatewayErrors.RequestTooLarge]);
        }
        responses["429"] = Response("Too many requests from this client: wait for Retry-After (also in google.rpc.RetryInfo).", [GatewayErrors.RateLimited]);
        responses["500"] = Response("An unexpected failure; the request can be retried with the same request_id.", [ErrorReasons.Internal]);
        responses["503"] = Response("The service (or one it depends on) is unavailable: retry with the same request_id after Retry-After.", [GatewayErrors.Unavailable]);
        responses["504"] = Response("The service did not answer in time: retry with the same request_id.", [GatewayErrors.Timeout]);
    }

    /// <summary>The validation reasons an operation's request can earn (docs/reasons.md), by the shape of its input.</summary>
    private static List<string> ValidationReasons(MethodDescriptor method, bool hasBody)
    {
        var fields = AllFields(method.InputType, depth: 0).ToList();
        var reasons = new List<string>
        {
            ErrorReasons.InvalidFields, ErrorReasons.FieldRequired, ErrorReasons.FieldTooLong, ErrorReasons.ValueOutOfRange,
            ErrorReasons.MalformedId, ErrorReasons.InvalidValue, ErrorReasons.UnknownField, ErrorReasons.WrongValueType,
        };
        if (method.InputType.FindFieldByName("request_id") is not null)
        {
            reasons.Add(ErrorReasons.MalformedRequestId);
        }
        if (method.InputType.FindFieldByName("page_token") is not null)
        {
            reasons.Add(ErrorReasons.InvalidPageToken);
        }
        if (fields.Any(f => f.FieldType == FieldType.Enum))
        {
            reasons.Add(ErrorReasons.InvalidEnumValue);
        }
        if (fields.Any(f => f.FieldType == FieldType.Message && f.MessageType.FullName is "google.type.Date" or "google.protobuf.Timestamp"))
        {
            reasons.Add(ErrorReasons.InvalidDate);
        }
        if (fields.Any(f => f.Name.EndsWith("url", StringComparison.Ordinal)))
        {
            reasons.Add(ErrorReasons.InvalidUrl);
        }
        if (hasBody)
        {
            reasons.Add(ErrorReasons.MalformedBody);
        }
        return reasons;
    }

    private static IEnumerable<FieldDescriptor> AllFields(MessageDescriptor message, int depth) =>
        depth > 4 ? [] : message.Fields.InDeclarationOrder().SelectMany(f =>
            f.FieldType == FieldType.Message && !f.MessageType.FullName.StartsWith("google.", StringComparison.Ordinal)
                ? AllFields(f.MessageType, depth + 1).Prepend(f)
                : Enumerable.Repeat(f, 1));

    internal static JsonObject Response(string description, IEnumerable<string> reasons)
    {
        var list = reasons.Distinct(StringComparer.Ordinal).ToList();
        var array = new JsonArray();
        foreach (var reason in list)
        {
            array.Add(reason);
        }
        return new JsonObject
        {
            ["description"] = $"{description} Reasons: {string.Join(", ", list)}.",
            ["x-error-reasons"] = array,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(StatusSchema) } },
        };
    }

    /// <summary>The error body and the details clients branch on.</summary>
    public static void AddSchemas(SchemaCatalog schemas)
    {
        schemas.Add(StatusSchema, new JsonObject
        {
            ["type"] = "object",
            ["description"] = "The error body of every failed call (google.rpc.Status): a gRPC code, a message, and details such as "
                + "google.rpc.ErrorInfo (a stable reason), google.rpc.BadRequest (field violations), google.rpc.PreconditionFailure "
                + "and google.rpc.RetryInfo. Each detail names its type in @type; the ErrorInfo detail "
                + "(type.googleapis.com/google.rpc.ErrorInfo) carries the stable reason each error response lists.",
            ["required"] = new JsonArray { "code", "message" },
            ["properties"] = new JsonObject
            {
                ["code"] = new JsonObject { ["type"] = "integer", ["format"] = "int32", ["description"] = "The gRPC status code." },
                ["message"] = new JsonObject { ["type"] = "string" },
                ["details"] = new JsonObject { ["type"] = "array", ["items"] = SchemaCatalog.AnySchema() },
            },
            ["additionalProperties"] = false,
        });
    }
}
