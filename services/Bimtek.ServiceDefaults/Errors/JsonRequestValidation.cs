using System.Globalization;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;

namespace Bimtek.ServiceDefaults.Errors;

/// <summary>
/// Checks a REST request before JSON transcoding reads it, because transcoding ignores unknown body fields and
/// query parameters (a typo would silently do something else — or, on an action like <c>:complete</c>, do it
/// anyway) and answers its own parse errors without the <c>ErrorInfo</c> clients branch on. The body is parsed
/// with protobuf's strict JSON parser (unknown fields, wrong types, overflowing numbers, unknown enum names and
/// malformed JSON fail) and every query parameter must name a field and hold a value of its type. Failures are
/// INVALID_ARGUMENT with the services' usual body (<c>ErrorInfo</c> + <c>BadRequest</c>, fields by their JSON names, a
/// reason per violation); anything else passes
/// through unchanged for transcoding and the service's own validation.
/// </summary>
public sealed class JsonRequestValidation(RequestDelegate next)
{
    /// <summary>As gRPC's MaxReceiveMessageSize: a larger body is refused by transcoding itself.</summary>
    private const int MaxCheckedBodyBytes = 4 * 1024 * 1024;
    private const int MaxEchoedLength = 200;

    private static readonly JsonParser _parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    private static readonly JsonFormatter _formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(
        TypeRegistry.FromMessages(Google.Rpc.ErrorInfo.Descriptor, Google.Rpc.BadRequest.Descriptor)));

    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (metadata is null)
        {
            await next(context);
            return;
        }
        var violations = RouteViolations(context.Request, metadata.MethodDescriptor.InputType);
        violations.AddRange(QueryViolations(context.Request, metadata.MethodDescriptor.InputType));
        if (violations.Count == 0 && await BodyViolationAsync(context.Request, metadata) is { } bodyViolation)
        {
            violations.Add(bodyViolation);
        }
        if (violations.Count > 0)
        {
            await WriteAsync(context, new ValidationException(violations));
            return;
        }
        await next(context);
    }

    /// <summary>Path variables bound to non-string fields (<c>{version}</c>) must hold a value of the field's type.</summary>
    private static List<FieldViolation> RouteViolations(HttpRequest request, MessageDescriptor input)
    {
        var violations = new List<FieldViolation>();
        foreach (var (key, value) in request.RouteValues)
        {
            if (value is string text && ResolveField(input, key) is { } field && ValueProblem(field, text) is { } problem)
            {
                violations.Add(new FieldViolation(FieldPaths.ToJson(key, input), problem, ErrorReasons.WrongValueType));
            }
        }
        return violations;
    }

    private static List<FieldViolation> QueryViolations(HttpRequest request, MessageDescriptor input)
    {
        var violations = new List<FieldViolation>();
        foreach (var (key, values) in request.Query)
        {
            var field = ResolveField(input, key);
            if (field is null)
            {
                violations.Add(new FieldViolation(Echo(key), "is not a query parameter of this operation", ErrorReasons.UnknownField));
                continue;
            }
            foreach (var value in values)
            {
                if (value is not null && ValueProblem(field, value) is { } problem)
                {
                    violations.Add(new FieldViolation(FieldPaths.ToJson(key, input), problem, ErrorReasons.WrongValueType));
                    break;
                }
            }
        }
        return violations;
    }

    /// <summary>A dotted query key (<c>filter.status</c>), each segment a field's JSON or proto name.</summary>
    private static FieldDescriptor? ResolveField(MessageDescriptor message, string key)
    {
        FieldDescriptor? field = null;
        MessageDescriptor? current = message;
        foreach (var segment in key.Split('.'))
        {
            field = current is null ? null : current.FindFieldByName(segment) ?? current.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == segment);
            if (field is null)
            {
                return null;
            }
            current = field.FieldType == FieldType.Message ? field.MessageType : null;
        }
        return field;
    }

    private static string? ValueProblem(FieldDescriptor field, string value)
    {
        var invariant = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 =>
                int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _) ? null : "must be a 32-bit integer",
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 =>
                long.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _) ? null : "must be a 64-bit integer",
            FieldType.UInt32 or FieldType.Fixed32 =>
                uint.TryParse(value, NumberStyles.None, invariant, out _) ? null : "must be an unsigned 32-bit integer",
            FieldType.UInt64 or FieldType.Fixed64 =>
                ulong.TryParse(value, NumberStyles.None, invariant, out _) ? null : "must be an unsigned 64-bit integer",
            FieldType.Double or FieldType.Float =>
                double.TryParse(value, NumberStyles.Float, invariant, out var number) && double.IsFinite(number) ? null : "must be a finite number",
            FieldType.Bool => bool.TryParse(value, out _) ? null : "must be true or false",
            FieldType.Enum => field.EnumType.FindValueByName(value) is not null
                || (int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var n) && field.EnumType.FindValueByNumber(n) is not null)
                    ? null
                    : $"must be one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}",
            FieldType.Message => MessageValueProblem(field.MessageType, value),
            _ => null,
        };
    }

    /// <summary>Well-known types in a query string: wrappers hold a scalar, Timestamp/Duration/FieldMask their JSON string.</summary>
    private static string? MessageValueProblem(MessageDescriptor message, string value)
    {
        if (message.FullName.StartsWith("google.protobuf.", StringComparison.Ordinal) && message.FullName.EndsWith("Value", StringComparison.Ordinal)
            && message.FindFieldByNumber(1) is { } wrapped && message.Fields.InDeclarationOrder().Count == 1)
        {
            return ValueProblem(wrapped, value);
        }
        if (message.FullName is "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask")
        {
            try
            {
                _parser.Parse(System.Text.Json.JsonSerializer.Serialize(value), message);
                return null;
            }
            catch (Exception exception) when (IsParseFailure(exception))
            {
                return $"is not a valid {message.Name}";
            }
        }
        return null;
    }

    private static async Task<FieldViolation?> BodyViolationAsync(HttpRequest request, GrpcJsonTranscodingMetadata metadata)
    {
        var descriptor = BodyMessage(metadata.MethodDescriptor.InputType, metadata.HttpRule);
        if (descriptor is null || request.ContentLength > MaxCheckedBodyBytes)
        {
            return null;
        }
        if (request.ContentLength is 0
            || request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            // Transcoding refuses a missing body too; this says so in the usual error shape.
            return new FieldViolation("body", "is required: a JSON object", ErrorReasons.FieldRequired);
        }
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxCheckedBodyBytes);
        string json;
        try
        {
            using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            json = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        }
        catch (IOException)
        {
            // Over the buffer limit or the client went away: transcoding answers as it always did.
            request.Body.Position = 0;
            return null;
        }
        request.Body.Position = 0;
        try
        {
            _parser.Parse(json, descriptor);
            return null;
        }
        catch (Exception exception) when (IsParseFailure(exception))
        {
            return new FieldViolation("body", "is not valid JSON for this request: " + Echo(exception.Message), ErrorReasons.MalformedBody);
        }
    }

    /// <summary>The message the body holds: the request (<c>body: "*"</c>) or the named message field; null when not a message.</summary>
    private static MessageDescriptor? BodyMessage(MessageDescriptor input, HttpRule rule)
    {
        if (string.IsNullOrEmpty(rule.Body))
        {
            return null;
        }
        if (rule.Body == "*")
        {
            return input;
        }
        var field = input.FindFieldByName(rule.Body);
        return field is { FieldType: FieldType.Message, IsRepeated: false, IsMap: false } && field.MessageType.FullName != HttpBody.Descriptor.FullName
            ? field.MessageType
            : null;
    }

    private static bool IsParseFailure(Exception exception) =>
        exception is InvalidProtocolBufferException or IOException or FormatException or ArgumentException or OverflowException or InvalidOperationException;

    private static string Echo(string text) => text.Length > MaxEchoedLength ? text[..MaxEchoedLength] + "…" : text;

    private static async Task WriteAsync(HttpContext context, ValidationException exception)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(_formatter.Format(exception.ToStatus()), context.RequestAborted);
    }
}
