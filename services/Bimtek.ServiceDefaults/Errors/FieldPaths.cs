using System.Text;
using Google.Protobuf.Reflection;

namespace Bimtek.ServiceDefaults.Errors;

/// <summary>
/// Field paths of field violations (<c>giver.name</c>, <c>lines[2].material_id</c>) in the names a caller writes:
/// proto names over gRPC, JSON names over REST (as the JSON mapping of protobuf names them).
/// </summary>
public static class FieldPaths
{
    /// <summary>
    /// The path with each segment as its field's JSON name, resolved against <paramref name="message"/> where it
    /// names a field (honouring a <c>json_name</c> option), else by protobuf's default rule (lowerCamelCase).
    /// Index suffixes (<c>[2]</c>) and paths that name no field (<c>body</c>) stay as they are.
    /// </summary>
    public static string ToJson(string path, MessageDescriptor? message)
    {
        var result = new StringBuilder(path.Length);
        var current = message;
        foreach (var segment in path.Split('.'))
        {
            if (result.Length > 0)
            {
                result.Append('.');
            }
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            var suffix = bracket < 0 ? "" : segment[bracket..];
            var field = current?.FindFieldByName(name);
            result.Append(field?.JsonName ?? DefaultJsonName(name)).Append(suffix);
            current = field is { FieldType: FieldType.Message, IsMap: false } ? field.MessageType : null;
        }
        return result.ToString();
    }

    /// <summary>Protobuf's default JSON name: underscores dropped, the letter after each one upper-cased.</summary>
    public static string DefaultJsonName(string protoName)
    {
        var json = new StringBuilder(protoName.Length);
        var upper = false;
        foreach (var c in protoName)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }
            json.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return json.ToString();
    }
}
