using System.Globalization;
using System.Runtime.InteropServices;

namespace Bimtek.Load.Measurement;

/// <summary>Facts about the machine and processes, from /proc (Linux).</summary>
public static class Machine
{
    public static string LoadAverage() => Read("/proc/loadavg") is { } text ? string.Join(' ', text.Split(' ').Take(3)) : "n/a";

    public static string Memory() =>
        Field("/proc/meminfo", "MemTotal:") is { } kb ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "n/a";

    public static string OperatingSystem()
    {
        var pretty = File.Exists("/etc/os-release")
            ? File.ReadAllLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"')
            : null;
        return $"{pretty ?? RuntimeInformation.OSDescription} (kernel {Environment.OSVersion.Version})";
    }

    public static string Cpu()
    {
        var model = Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        return $"{Environment.ProcessorCount} CPUs (nproc){(model is null ? "" : ", " + model)}";
    }

    public static string Dotnet() => RuntimeInformation.FrameworkDescription;

    /// <summary>Resident memory of a process in MiB (VmRSS), or NaN when it is gone.</summary>
    public static double RssMiB(int pid) => Field($"/proc/{pid}/status", "VmRSS:") is { } kb ? kb / 1024.0 : double.NaN;

    /// <summary>Proportional set size of a process in MiB (shared pages divided among their users), or NaN when it is gone.</summary>
    public static double PssMiB(int pid) => Field($"/proc/{pid}/smaps_rollup", "Pss:") is { } kb ? kb / 1024.0 : double.NaN;

    /// <summary>The parent of a process (from /proc/&lt;pid&gt;/stat).</summary>
    public static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    /// <summary>A process's open file descriptors, and how many of them are sockets; zeros when it is gone.</summary>
    public static (int Descriptors, int Sockets) OpenDescriptors(int pid)
    {
        try
        {
            var links = Directory.GetFiles($"/proc/{pid}/fd");
            var sockets = links.Count(link =>
                new FileInfo(link).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
            return (links.Length, sockets);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    /// <summary>Processes descending from <paramref name="root"/> (inclusive), with their command lines.</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || Read(Path.Combine(directory, "stat")) is not { } stat)
            {
                continue;
            }
            // pid (comm) state ppid …; comm may contain spaces, so parse after the last ')'.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (rest.Length > 1 && int.TryParse(rest[1], out var parent))
            {
                parents[pid] = parent;
            }
        }
        var result = new List<(int, string)>();
        var frontier = new Queue<int>([root]);
        while (frontier.Count > 0)
        {
            var pid = frontier.Dequeue();
            result.Add((pid, (Read($"/proc/{pid}/cmdline") ?? "").Replace('\0', ' ').Trim()));
            foreach (var child in parents.Where(p => p.Value == pid).Select(p => p.Key))
            {
                frontier.Enqueue(child);
            }
        }
        return result;
    }

    private static long? Field(string path, string name)
    {
        var line = Read(path)?.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? null : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
