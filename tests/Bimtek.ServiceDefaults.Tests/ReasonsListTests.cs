using System.Text;
using System.Text.RegularExpressions;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>
/// docs/reasons.md, the one list of every <c>ErrorInfo.reason</c> the suite answers with, is generated from the
/// code: the shared reasons (<c>ServiceDefaults/Errors/ErrorReasons.cs</c>), the gateway's own
/// (<c>GatewayErrors.cs</c>) and every service's <c>Domain/Reasons.cs</c>, each with its doc comment. The first test
/// rewrites the checked-in file when it is stale (commit it) and fails; the second checks that every reason the
/// code can raise — every UPPER_SNAKE string in the services' and the gateway's code — is in the list, so a reason
/// written in place instead of declared cannot go undocumented; the third that every declared reason has a meaning.
/// </summary>
public sealed partial class ReasonsListTests
{
    public const string CheckedInPath = "docs/reasons.md";

    /// <summary>Files with UPPER_SNAKE strings that are not reasons (an environment variable, an example defect code).</summary>
    private static readonly string[] _notReasons =
    [
        "services/Bimtek.ServiceDefaults/Telemetry/TelemetryExtensions.cs",
        "gateway/Bimtek.Gateway/OpenApi/RequestExamples.cs",
    ];

    [Fact]
    public void The_checked_in_reasons_list_is_the_one_the_code_defines()
    {
        var generated = Generate();
        var path = Path.Combine(RepositoryRoot(), CheckedInPath);
        var checkedIn = File.Exists(path) ? File.ReadAllText(path) : "";
        if (checkedIn != generated)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }
        Assert.True(checkedIn == generated, $"{CheckedInPath} was stale and has been rewritten: commit it.");
    }

    [Fact]
    public void Every_reason_the_code_can_raise_is_in_the_list()
    {
        var listed = Sources().SelectMany(s => s.Reasons).Select(r => r.Value).ToHashSet(StringComparer.Ordinal);
        Assert.True(listed.Count > 60, $"only {listed.Count} reasons were found");
        Assert.Contains("NOT_ENOUGH_GOODS", listed);
        Assert.Contains("MALFORMED_ID", listed);
        Assert.Contains("RATE_LIMITED", listed);

        var root = RepositoryRoot();
        var unlisted = new List<string>();
        foreach (var file in CodeFiles(root))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (_notReasons.Contains(relative))
            {
                continue;
            }
            foreach (Match literal in UpperSnakeLiteral().Matches(File.ReadAllText(file)))
            {
                if (!listed.Contains(literal.Groups[1].Value))
                {
                    unlisted.Add($"{relative}: {literal.Groups[1].Value}");
                }
            }
        }
        Assert.True(unlisted.Count == 0,
            "Reasons raised in the code but not declared in a Reasons class (so not in docs/reasons.md):\n" + string.Join("\n", unlisted.Distinct()));
    }

    /// <summary>A reason's meaning is the doc comment above its constant: a reason without one would be listed with "—".</summary>
    [Fact]
    public void Every_reason_has_a_meaning()
    {
        var sources = Sources();
        Assert.True(sources.Sum(s => s.Reasons.Count) > 60);
        var without = sources.SelectMany(s => s.Reasons.Where(r => r.Meaning.Length == 0).Select(r => $"{s.Path}: {r.Constant} ({r.Value})")).ToList();
        Assert.True(without.Count == 0,
            "Reasons without a meaning (give each a one-line /// <summary> where it is declared):\n" + string.Join("\n", without));
    }

    [Fact]
    public void Every_service_with_its_own_reasons_has_a_section()
    {
        var sections = Sources().Select(s => s.Title).ToList();
        foreach (var service in new[] { "participants", "materials", "production", "distribution", "coordinator", "identity", "notifications" })
        {
            Assert.Contains(sections, s => s.StartsWith(service, StringComparison.Ordinal));
        }
        Assert.Contains("Shared by every service", sections);
        Assert.Contains("Gateway", sections);
    }

    private sealed record Reason(string Value, string Constant, string Meaning);

    private sealed record Source(string Title, string Path, IReadOnlyList<Reason> Reasons);

    private static string Generate()
    {
        var text = new StringBuilder();
        text.Append("# Error reasons\n\n");
        text.Append("Every error the suite answers carries a `google.rpc.ErrorInfo` (domain `bimtek.id`) whose `reason` is one of the values\n");
        text.Append("below; clients branch on it, and a value never changes meaning once published. Validation failures (gRPC\n");
        text.Append("INVALID_ARGUMENT, HTTP 400) also carry a `google.rpc.BadRequest` with one field violation per bad field, each with its\n");
        text.Append("own `reason` from the shared list; the error's `reason` is theirs when they share one, else `INVALID_FIELDS`. Fields are\n");
        text.Append("named by their proto names over gRPC (`page_size`, `giver.name`) and by their JSON names over REST (`pageSize`).\n");
        text.Append("Domain reasons name the operations that answer them; which reasons each REST operation can answer, with which HTTP\n");
        text.Append("status, is in the OpenAPI document (`x-error-reasons` of each response, `/openapi/v1.json`).\n\n");
        text.Append("Generated from the code by `tests/Bimtek.ServiceDefaults.Tests/ReasonsListTests.cs` (which also checks that every reason\n");
        text.Append("the code raises is declared here): do not edit by hand; run\n");
        text.Append("`dotnet test tests/Bimtek.ServiceDefaults.Tests --filter ReasonsListTests` and commit the rewritten file.\n");
        var answeredBy = OperationsByReason();
        foreach (var source in Sources())
        {
            text.Append($"\n## {source.Title}\n\n");
            text.Append($"Declared in `{source.Path}`.\n\n");
            text.Append("| reason | constant | meaning | answered by |\n|---|---|---|---|\n");
            foreach (var reason in source.Reasons)
            {
                var meaning = reason.Meaning.Length == 0 ? "—" : reason.Meaning.Replace("|", "\\|", StringComparison.Ordinal);
                var operations = answeredBy.TryGetValue(reason.Value, out var list) ? string.Join(", ", list) : "—";
                text.Append($"| `{reason.Value}` | `{reason.Constant}` | {meaning} | {operations} |\n");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// The operations that answer each domain reason, as the gateway's OpenAPI document lists them
    /// (<c>gateway/Bimtek.Gateway/OpenApi/OperationReasons.cs</c>; the document gives each one's HTTP status).
    /// </summary>
    private static Dictionary<string, List<string>> OperationsByReason()
    {
        var code = File.ReadAllText(Path.Combine(RepositoryRoot(), "gateway/Bimtek.Gateway/OpenApi/OperationReasons.cs"));
        var byReason = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Match entry in OperationEntry().Matches(code))
        {
            foreach (Match reason in QuotedUpperSnake().Matches(entry.Groups["reasons"].Value))
            {
                var operations = byReason.TryGetValue(reason.Groups[1].Value, out var list) ? list : byReason[reason.Groups[1].Value] = [];
                if (!operations.Contains(entry.Groups["rpc"].Value))
                {
                    operations.Add(entry.Groups["rpc"].Value);
                }
            }
        }
        return byReason;
    }

    /// <summary>The shared reasons, the gateway's, then each service's in alphabetical order.</summary>
    private static List<Source> Sources()
    {
        var root = RepositoryRoot();
        var sources = new List<Source>
        {
            Read(root, "Shared by every service", "services/Bimtek.ServiceDefaults/Errors/ErrorReasons.cs"),
            Read(root, "Gateway", "gateway/Bimtek.Gateway/Errors/GatewayErrors.cs"),
        };
        foreach (var file in Directory.GetFiles(Path.Combine(root, "services"), "Reasons.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "Domain" && !IsBuildOutput(f)).Order(StringComparer.Ordinal))
        {
            var project = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file))!)!; // Bimtek.Coordinator.Grains
            var service = project["Bimtek.".Length..].Split('.')[0].ToLowerInvariant();
            sources.Add(Read(root, $"{service} ({project})", Path.GetRelativePath(root, file).Replace('\\', '/')));
        }
        return sources;
    }

    /// <summary>The string constants of a reasons file with their doc comments; aliases of other constants are left to their own file.</summary>
    private static Source Read(string root, string title, string path)
    {
        var reasons = new List<Reason>();
        var summary = new StringBuilder();
        foreach (var line in File.ReadLines(Path.Combine(root, path)).Select(l => l.Trim()))
        {
            if (line.StartsWith("///", StringComparison.Ordinal))
            {
                summary.Append(' ').Append(line[3..].Trim());
                continue;
            }
            if (ReasonConstant().Match(line) is { Success: true } constant && constant.Groups["name"].Value != "Domain")
            {
                reasons.Add(new Reason(constant.Groups["value"].Value, constant.Groups["name"].Value, Meaning(summary.ToString())));
            }
            if (line.Length > 0 && !line.StartsWith("[", StringComparison.Ordinal))
            {
                summary.Clear();
            }
        }
        return new Source(title, path, reasons);
    }

    /// <summary>A doc comment as one line of text: tags dropped, <c>&lt;c&gt;x&lt;/c&gt;</c> and crefs as code.</summary>
    private static string Meaning(string summary)
    {
        var text = CodeTag().Replace(summary, m => $"`{m.Groups[1].Value}`");
        text = CrefTag().Replace(text, m => $"`{m.Groups[1].Value.Split('.')[^1]}`");
        text = AnyTag().Replace(text, "");
        return Spaces().Replace(text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal), " ").Trim();
    }

    private static IEnumerable<string> CodeFiles(string root) =>
        new[] { "services", "gateway" }.SelectMany(folder => Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(f));

    private static bool IsBuildOutput(string path) =>
        path.Replace('\\', '/').Split('/').Any(part => part is "obj" or "bin" or "node_modules");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Microservices.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("""public const string (?<name>\w+) = "(?<value>[A-Z][A-Z0-9_]*)";""")]
    private static partial Regex ReasonConstant();

    [GeneratedRegex("""(?<![\w"])"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"(?![\w"])""")]
    private static partial Regex UpperSnakeLiteral();

    [GeneratedRegex("""\["(?<rpc>\w+)"\]\s*=\s*\[(?<reasons>[^\]]*)\]""")]
    private static partial Regex OperationEntry();

    [GeneratedRegex("\"([A-Z][A-Z0-9_]+)\"")]
    private static partial Regex QuotedUpperSnake();

    [GeneratedRegex("<c>(.*?)</c>")]
    private static partial Regex CodeTag();

    [GeneratedRegex("""<see cref="(?:\w:)?([^"]+)"\s*/>""")]
    private static partial Regex CrefTag();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
