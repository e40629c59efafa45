using System.Text.Json.Nodes;

namespace Bimtek.Gateway.OpenApi;

/// <summary>Small JSON helpers the document's parts share.</summary>
internal static class DocumentJson
{
    public const string SchemaRef = "#/components/schemas/";

    public static JsonObject Ref(string name) => new() { ["$ref"] = SchemaRef + name };

    /// <summary>Absent descriptions are left out rather than written as null.</summary>
    public static void RemoveNulls(JsonNode? node)
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

    public static JsonObject Sorted(JsonObject items)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in items.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            items.Remove(key);
            sorted[key] = value;
        }
        return sorted;
    }

    public static string FirstSentence(string text)
    {
        var flat = text.Replace('\n', ' ');
        var end = flat.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? flat.TrimEnd('.') : flat[..end];
    }
}
