using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Bimtek.Deploy.Tests;

/// <summary>deploy/compose.yaml read as plain maps, with YAML merge keys (&lt;&lt;: *anchor) applied.</summary>
public sealed class ComposeFile
{
    private ComposeFile(Dictionary<object, object> root) => Root = root;

    public Dictionary<object, object> Root { get; }

    public IReadOnlyDictionary<string, Dictionary<object, object>> Services =>
        ((Dictionary<object, object>)Root["services"]).ToDictionary(p => (string)p.Key, p => (Dictionary<object, object>)p.Value);

    public static ComposeFile Load(string path)
    {
        using var reader = new StreamReader(path);
        var parser = new MergingParser(new Parser(reader));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(parser);
        return new ComposeFile(root);
    }

    public static IReadOnlyDictionary<string, string> Environment(Dictionary<object, object> service) =>
        service.TryGetValue("environment", out var environment)
            ? ((Dictionary<object, object>)environment).ToDictionary(p => (string)p.Key, p => p.Value?.ToString() ?? "")
            : new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> BuildArgs(Dictionary<object, object> service) =>
        service.TryGetValue("build", out var build) && ((Dictionary<object, object>)build).TryGetValue("args", out var args)
            ? ((Dictionary<object, object>)args).ToDictionary(p => (string)p.Key, p => p.Value?.ToString() ?? "")
            : new Dictionary<string, string>();
}
