using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Bimtek.Deploy.Tests;

/// <summary>
/// The client package (<c>protos/Bimtek.Contracts</c>): <c>dotnet pack</c> makes a package versioned with the contract
/// that holds the generated clients and every .proto file, and the consumer project and code of its README build
/// exactly as written against it, from a local folder feed, offline (dependencies come from the machine's NuGet
/// cache used as a second folder feed; nothing lands in that cache).
/// </summary>
public sealed class ClientPackageTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("bimtek-client-package-").FullName;

    [Fact]
    public async Task The_packed_package_holds_the_clients_and_protos_and_its_readme_example_builds_against_it_offline()
    {
        var project = RepositoryFiles.PathOf("protos", "Bimtek.Contracts", "Bimtek.Contracts.csproj");
        var version = XDocument.Load(project).Descendants("Version").Single().Value;
        var feed = Path.Combine(_work, "feed");
        var pack = await DotnetAsync(RepositoryFiles.Root, "pack", project, "-c", "Debug", "-o", feed);
        Assert.True(pack.ExitCode == 0, pack.Output);

        // Versioned with the contract: 1.x for the v1 packages.
        var packagePath = Path.Combine(feed, $"Bimtek.Contracts.{version}.nupkg");
        Assert.True(File.Exists(packagePath), string.Join(", ", Directory.GetFiles(feed)));
        var protoPackages = Directory.GetFiles(RepositoryFiles.PathOf("protos", "bimtek"), "*.proto", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f)!)).Distinct().ToList();
        Assert.Equal(["v1"], protoPackages);
        Assert.StartsWith("1.", version, StringComparison.Ordinal);

        using (var package = ZipFile.OpenRead(packagePath))
        {
            var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("lib/net10.0/Bimtek.Contracts.dll", entries);
            Assert.Contains("README.md", entries);
            Assert.Contains("buildTransitive/Bimtek.Contracts.props", entries);
            // Every public proto; no internal one (*_internal.proto, the …InternalService that only services call).
            var protos = Directory.GetFiles(RepositoryFiles.PathOf("protos", "bimtek"), "*.proto", SearchOption.AllDirectories);
            Assert.Contains(protos, p => p.EndsWith("_internal.proto", StringComparison.Ordinal));
            foreach (var proto in protos)
            {
                var entry = "protos/" + Path.GetRelativePath(RepositoryFiles.PathOf("protos"), proto).Replace('\\', '/');
                if (proto.EndsWith("_internal.proto", StringComparison.Ordinal))
                {
                    Assert.DoesNotContain(entry, entries);
                }
                else
                {
                    Assert.Contains(entry, entries);
                }
            }
            // Nor their generated clients: no type of the package is named …InternalService.
            using (var dll = new StreamReader(package.GetEntry("lib/net10.0/Bimtek.Contracts.dll")!.Open(), System.Text.Encoding.Latin1))
            {
                var metadata = await dll.ReadToEndAsync();
                Assert.Contains("QuotaService", metadata, StringComparison.Ordinal);
                Assert.DoesNotContain("InternalService", metadata, StringComparison.Ordinal);
            }
            using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var dependencies = XDocument.Parse(await nuspec.ReadToEndAsync()).Descendants().Where(e => e.Name.LocalName == "dependency")
                .Select(e => e.Attribute("id")!.Value).ToList();
            Assert.Contains("Grpc.Net.Client", dependencies);
            Assert.Contains("Google.Protobuf", dependencies);
            Assert.Contains("Google.Api.CommonProtos", dependencies);
            Assert.DoesNotContain("Grpc.Tools", dependencies);
        }

        // The README's consumer, exactly as written.
        var readme = await File.ReadAllTextAsync(RepositoryFiles.PathOf("protos", "Bimtek.Contracts", "README.md"));
        var consumer = Directory.CreateDirectory(Path.Combine(_work, "consumer")).FullName;
        var csproj = Block(readme, "xml");
        Assert.Contains($"Include=\"Bimtek.Contracts\" Version=\"{version}\"", csproj);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), csproj);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), Block(readme, "csharp"));
        var cache = (await DotnetAsync(RepositoryFiles.Root, "nuget", "locals", "global-packages", "--list")).Output.Trim();
        var machineCache = cache[(cache.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        Assert.True(Directory.Exists(machineCache), cache);
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(_work, "packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="client-package" value="{feed}" />
                <add key="machine-cache" value="{machineCache}" />
              </packageSources>
            </configuration>
            """);
        var build = await DotnetAsync(consumer, "build", "Consumer.csproj");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(File.Exists(Path.Combine(consumer, "bin", "Debug", "net10.0", "Consumer.dll")), build.Output);
        Assert.True(Directory.Exists(Path.Combine(_work, "packages", "bimtek.contracts", version)), "the package was not restored from the local feed");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is cleaned by the machine.
        }
    }

    /// <summary>The first fenced block of <paramref name="language"/> in a markdown text.</summary>
    private static string Block(string markdown, string language)
    {
        var match = Regex.Match(markdown, $"```{language}\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"no ```{language} block in the README");
        return match.Groups[1].Value;
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        if (arguments[0] is "build" or "pack")
        {
            // No build servers left behind by a test.
            start.ArgumentList.Add("-nodeReuse:false");
            start.ArgumentList.Add("-p:UseSharedCompilation=false");
        }
        // The test host runs under `dotnet test`: its MSBuild settings must not steer this separate build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within 20 minutes.");
        }
        return (process.ExitCode, await output + await error);
    }
}
