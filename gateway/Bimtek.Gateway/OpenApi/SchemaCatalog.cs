using System.Reflection;
using System.Text.Json.Nodes;
using Google.Api;
using Google.Protobuf.Reflection;
using static Bimtek.Gateway.OpenApi.DocumentJson;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// The <c>components/schemas</c> of the document: one schema per message and enum, exactly as JSON transcoding
/// writes and reads them. Proto JSON names; <c>required</c> from <c>field_behavior = REQUIRED</c>; <c>readOnly</c>
/// from <c>OUTPUT_ONLY</c>; <c>additionalProperties: false</c> (the services refuse unknown fields, and write only
/// declared ones); 64-bit integers as JSON numbers (what transcoding writes; it reads numbers and strings); enums by
/// name with every value; ids of requests and required references as UUIDs.
/// </summary>
public sealed class SchemaCatalog(XmlDocs docs)
{
    private readonly JsonObject _schemas = new();

    /// <summary>The schemas, sorted by name (call once, after every operation was described).</summary>
    public JsonObject Components() => Sorted(_schemas);

    public JsonObject? Get(string name) => _schemas[name] as JsonObject;

    public void Add(string name, JsonObject schema) => _schemas[name] = schema;

    public static bool Has(FieldDescriptor field, FieldBehavior behavior) =>
        field.GetOptions()?.GetExtension(FieldBehaviorExtensions.FieldBehavior) is { } behaviors && behaviors.Contains(behavior);

    public static bool IsRequired(FieldDescriptor field) => Has(field, FieldBehavior.Required);

    /// <summary>A field's schema (as a property or a parameter), described by its proto comment.</summary>
    public JsonNode FieldSchema(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = SingleSchema(field.MessageType.FindFieldByNumber(2)) };
        }
        var single = SingleSchema(field);
        return field.IsRepeated ? new JsonObject { ["type"] = "array", ["items"] = single } : single;
    }

    public string? FieldDoc(FieldDescriptor field) =>
        field.ContainingType.ClrType is { } type ? docs.Property(type, field.PropertyName) : null;

    private JsonNode SingleSchema(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double => new JsonObject { ["type"] = "number", ["format"] = "double" },
        FieldType.Float => new JsonObject { ["type"] = "number", ["format"] = "float" },
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
        FieldType.UInt32 or FieldType.Fixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0 },
        // Transcoding writes 64-bit integers as JSON numbers (WriteInt64sAsStrings off) and reads numbers or strings.
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => new JsonObject { ["type"] = "integer", ["format"] = "int64" },
        FieldType.UInt64 or FieldType.Fixed64 => new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0 },
        FieldType.Bool => new JsonObject { ["type"] = "boolean" },
        FieldType.String => IsUuid(field) ? new JsonObject { ["type"] = "string", ["format"] = "uuid" } : new JsonObject { ["type"] = "string" },
        FieldType.Bytes => new JsonObject { ["type"] = "string", ["format"] = "byte" },
        FieldType.Enum => EnumRef(field.EnumType),
        _ => ScalarLike(field.MessageType) ?? MessageRef(field.MessageType),
    };

    /// <summary>
    /// Ids that always hold a UUID on the wire: a request's <c>request_id</c> and required references. Optional
    /// references are not marked: transcoding writes an unset one as <c>""</c>.
    /// </summary>
    private static bool IsUuid(FieldDescriptor field) =>
        field.Name == "request_id" || (field.Name.EndsWith("_id", StringComparison.Ordinal) && IsRequired(field));

    /// <summary>Well-known types that proto JSON writes as scalars or free-form values.</summary>
    public static JsonObject? ScalarLike(MessageDescriptor message) => message.FullName switch
    {
        "google.protobuf.Timestamp" => new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "RFC 3339, UTC." },
        "google.protobuf.Duration" => new JsonObject { ["type"] = "string", ["description"] = "Seconds with an s suffix, e.g. 3.5s." },
        "google.protobuf.FieldMask" => new JsonObject { ["type"] = "string", ["description"] = "Comma-separated field paths." },
        "google.protobuf.Empty" => new JsonObject { ["type"] = "object", ["additionalProperties"] = false },
        "google.protobuf.Struct" => new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
        "google.protobuf.Value" => new JsonObject { ["description"] = "Any JSON value." },
        "google.protobuf.ListValue" => new JsonObject { ["type"] = "array", ["items"] = new JsonObject() },
        "google.protobuf.Any" => AnySchema(),
        "google.protobuf.StringValue" or "google.protobuf.BytesValue" => new JsonObject { ["type"] = "string", ["nullable"] = true },
        "google.protobuf.BoolValue" => new JsonObject { ["type"] = "boolean", ["nullable"] = true },
        "google.protobuf.Int32Value" or "google.protobuf.UInt32Value" => new JsonObject { ["type"] = "integer", ["nullable"] = true },
        "google.protobuf.Int64Value" or "google.protobuf.UInt64Value" => new JsonObject { ["type"] = "integer", ["format"] = "int64", ["nullable"] = true },
        "google.protobuf.DoubleValue" or "google.protobuf.FloatValue" => new JsonObject { ["type"] = "number", ["nullable"] = true },
        _ => null,
    };

    public static JsonObject AnySchema() => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["@type"] = new JsonObject { ["type"] = "string" } },
        ["required"] = new JsonArray { "@type" },
        ["additionalProperties"] = true,
    };

    public JsonObject MessageRef(MessageDescriptor message)
    {
        if (!_schemas.ContainsKey(message.FullName))
        {
            // Reserve the name first: messages may refer to themselves.
            _schemas[message.FullName] = new JsonObject();
            var properties = new JsonObject();
            var required = new JsonArray();
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                properties[field.JsonName] = Property(field);
                if (IsRequired(field))
                {
                    required.Add(field.JsonName);
                }
            }
            _schemas[message.FullName] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = message.ClrType is null ? null : docs.Type(message.ClrType),
                ["required"] = required.Count == 0 ? null : required,
                ["properties"] = properties,
                ["additionalProperties"] = false,
            };
        }
        return Ref(message.FullName);
    }

    /// <summary>A property: its schema with the field's comment and <c>readOnly</c> (a <c>$ref</c> is wrapped, as 3.0 ignores its siblings).</summary>
    private JsonNode Property(FieldDescriptor field)
    {
        var schema = FieldSchema(field);
        var doc = FieldDoc(field);
        var readOnly = Has(field, FieldBehavior.OutputOnly);
        if (doc is null && !readOnly)
        {
            return schema;
        }
        var result = schema is JsonObject obj && !obj.ContainsKey("$ref")
            ? obj.DeepClone().AsObject()
            : new JsonObject { ["allOf"] = new JsonArray { schema } };
        if (doc is not null)
        {
            result["description"] = result["description"] is JsonValue existing ? $"{doc}\n{existing}" : doc;
        }
        if (readOnly)
        {
            result["readOnly"] = true;
        }
        return result;
    }

    public JsonObject EnumRef(EnumDescriptor descriptor)
    {
        if (!_schemas.ContainsKey(descriptor.FullName))
        {
            var values = new JsonArray();
            var lines = new List<string>();
            var memberDocs = descriptor.ClrType is null ? [] : descriptor.ClrType.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (Original: f.GetCustomAttribute<OriginalNameAttribute>()?.Name, Doc: docs.Field(descriptor.ClrType, f.Name)))
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
}
