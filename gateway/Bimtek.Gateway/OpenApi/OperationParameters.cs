using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// Path and query parameters of an operation: path variables by their proto field path (as the route template
/// names them), query parameters by JSON name (nested messages flattened with dots, as transcoding binds them).
/// </summary>
public static class OperationParameters
{
    public static JsonArray Path(SchemaCatalog schemas, MessageDescriptor input, IEnumerable<string> pathFields)
    {
        var parameters = new JsonArray();
        foreach (var fieldPath in pathFields)
        {
            var field = ResolveField(input, fieldPath);
            JsonNode schema = field is null ? new JsonObject { ["type"] = "string" } : schemas.FieldSchema(field);
            if (field is { FieldType: FieldType.String } && field.Name.EndsWith("_id", StringComparison.Ordinal))
            {
                // Ids in a path are always the service's UUIDs; anything else is answered 400.
                schema = new JsonObject { ["type"] = "string", ["format"] = "uuid" };
            }
            parameters.Add(new JsonObject
            {
                ["name"] = fieldPath,
                ["in"] = "path",
                ["required"] = true,
                ["description"] = field is null ? null : schemas.FieldDoc(field),
                ["schema"] = schema,
            });
        }
        return parameters;
    }

    public static void AddQuery(SchemaCatalog schemas, JsonArray parameters, MessageDescriptor message, HashSet<string> exclude) =>
        AddQuery(schemas, parameters, message, "", "", exclude, depth: 0);

    private static void AddQuery(SchemaCatalog schemas, JsonArray parameters, MessageDescriptor message, string protoPrefix, string jsonPrefix,
        HashSet<string> exclude, int depth)
    {
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            var protoPath = protoPrefix + field.Name;
            if (exclude.Contains(protoPath) || field.IsMap)
            {
                continue;
            }
            var jsonPath = jsonPrefix + field.JsonName;
            if (field.FieldType == FieldType.Message && !field.IsRepeated && SchemaCatalog.ScalarLike(field.MessageType) is null && depth < 3)
            {
                AddQuery(schemas, parameters, field.MessageType, protoPath + ".", jsonPath + ".", exclude, depth + 1);
                continue;
            }
            parameters.Add(new JsonObject
            {
                ["name"] = jsonPath,
                ["in"] = "query",
                ["required"] = depth == 0 && SchemaCatalog.IsRequired(field),
                ["description"] = schemas.FieldDoc(field),
                ["schema"] = schemas.FieldSchema(field),
                ["explode"] = field.IsRepeated ? true : null,
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
}
