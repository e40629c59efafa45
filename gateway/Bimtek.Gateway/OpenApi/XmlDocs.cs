using System.Reflection;
using System.Xml.Linq;

namespace Bimtek.Gateway.OpenApi;

/// <summary>
/// The proto comments, as protoc put them into the generated code's XML documentation
/// (<c>Bimtek.Gateway.xml</c> beside the assembly), keyed by documentation id (<c>T:…</c>, <c>P:…</c>, <c>M:…</c>).
/// </summary>
public sealed class XmlDocs
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocs(Dictionary<string, string> summaries) => _summaries = summaries;

    public static XmlDocs Load(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(path))
        {
            return new XmlDocs([]);
        }
        var summaries = XDocument.Load(path).Descendants("member")
            .Select(m => (Name: (string?)m.Attribute("name"), Summary: m.Element("summary")))
            .Where(m => m.Name is not null && m.Summary is not null)
            .GroupBy(m => m.Name!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Clean(g.First().Summary!.Value), StringComparer.Ordinal);
        return new XmlDocs(summaries);
    }

    public string? Type(Type type) => _summaries.GetValueOrDefault("T:" + DocName(type));

    public string? Property(Type type, string property) => _summaries.GetValueOrDefault($"P:{DocName(type)}.{property}");

    public string? Field(Type type, string field) => _summaries.GetValueOrDefault($"F:{DocName(type)}.{field}");

    /// <summary>A method by name on a type, whatever its parameters.</summary>
    public string? Method(string typeDocName, string method)
    {
        var prefix = $"M:{typeDocName}.{method}(";
        return _summaries.FirstOrDefault(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Value;
    }

    public string? Named(string docId) => _summaries.GetValueOrDefault(docId);

    public static string DocName(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    private static string Clean(string text) =>
        string.Join("\n", text.Split('\n').Select(l => l.Trim())).Trim();
}
