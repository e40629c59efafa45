using System.Text.RegularExpressions;

namespace Bimtek.Gateway.Tests.Support;

/// <summary>One RPC as written in protos/: its gRPC path and its REST bindings (none for internal RPCs).</summary>
public sealed record ProtoRpc(string Service, string Package, string ServiceName, string Name, bool ServerStreaming, IReadOnlyList<(string Verb, string Path)> Bindings)
{
    public string GrpcPath => $"/{Package}.{ServiceName}/{Name}";

    /// <summary>An RPC of an internal service (<c>…InternalService</c>, in <c>*_internal.proto</c>): services call it directly, never through the gateway.</summary>
    public bool InInternalService => ServiceName.EndsWith("InternalService", StringComparison.Ordinal);

    /// <summary>Internal: in an internal service, or (in a public service) without a REST binding.</summary>
    public bool IsInternal => InInternalService || Bindings.Count == 0;

    public override string ToString() => GrpcPath;
}

/// <summary>
/// Reads the contracts straight from the repository's protos/ text (independently of the gateway's compiled
/// descriptors), so the tests check the gateway against what the services actually publish.
/// </summary>
public static partial class ProtoRoutes
{
    public static readonly IReadOnlyList<string> ServiceNames = ["participants", "materials", "production", "distribution", "coordinator", "identity", "notifications"];

    private static readonly Lazy<IReadOnlyList<ProtoRpc>> _all = new(Load);

    public static IReadOnlyList<ProtoRpc> All => _all.Value;

    public static IEnumerable<(ProtoRpc Rpc, string Verb, string Path)> RestBindings =>
        All.SelectMany(r => r.Bindings.Select(b => (r, b.Verb, b.Path)));

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "protos", "bimtek")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("protos/ not found above the test directory.");
    }

    /// <summary>A concrete path for a template: every {variable} replaced by a sample value.</summary>
    public static string Concrete(string template) => Variable().Replace(template, m => "sample-" + m.Groups[1].Value.Replace('.', '-'));

    private static List<ProtoRpc> Load()
    {
        var rpcs = new List<ProtoRpc>();
        foreach (var service in ServiceNames)
        {
            // The public contract (<service>.proto) and the internal services beside it (*_internal.proto).
            foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "protos", "bimtek", service, "v1"), "*.proto").Order(StringComparer.Ordinal))
            {
                LoadFile(rpcs, service, file);
            }
        }
        return rpcs;
    }

    private static void LoadFile(List<ProtoRpc> rpcs, string service, string file)
    {
        var text = string.Join("\n", File.ReadAllLines(file).Select(l => l.Contains("//", StringComparison.Ordinal) ? l[..l.IndexOf("//", StringComparison.Ordinal)] : l));
        var package = Package().Match(text).Groups[1].Value;
        var serviceMatch = ServiceStart().Match(text);
        var bodyEnd = text.IndexOf("\n}", serviceMatch.Index, StringComparison.Ordinal);
        var body = text[serviceMatch.Index..bodyEnd];
        foreach (var chunk in body.Split("rpc ").Skip(1))
        {
            var name = RpcName().Match(chunk).Groups[1].Value;
            var bindings = Binding().Matches(chunk).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
            rpcs.Add(new ProtoRpc(service, package, serviceMatch.Groups[1].Value, name, chunk.Contains("returns (stream", StringComparison.Ordinal), bindings));
        }
    }

    [GeneratedRegex(@"package\s+([\w.]+)\s*;")]
    private static partial Regex Package();

    [GeneratedRegex(@"\nservice\s+(\w+)\s*\{")]
    private static partial Regex ServiceStart();

    [GeneratedRegex(@"^\s*(\w+)\s*\(")]
    private static partial Regex RpcName();

    [GeneratedRegex("\\b(get|post|put|patch|delete)\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex Binding();

    [GeneratedRegex(@"\{([\w.]+)(=[^}]*)?\}")]
    private static partial Regex Variable();
}
