namespace Bimtek.Testing.Postgres;

/// <summary>Finds the directory holding <c>initdb</c> and <c>pg_ctl</c>.</summary>
internal static class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>PATH first (an explicit choice wins), then the highest Debian-packaged version.</summary>
    public static string? FindBinDirectory()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var onPath = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(HasTools);
        if (onPath is not null)
        {
            return onPath;
        }

        if (!Directory.Exists(DebianRoot))
        {
            return null;
        }

        return Directory.GetDirectories(DebianRoot)
            .Select(versionDir => (Version: ParseVersion(Path.GetFileName(versionDir)), Bin: Path.Combine(versionDir, "bin")))
            .Where(candidate => candidate.Version is not null && HasTools(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    public static string Describe() => $"initdb/pg_ctl on PATH or under {DebianRoot}/*/bin";

    private static bool HasTools(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    // Directory names are "15" or "9.6"; numeric ordering keeps 15 above 9.6.
    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.') ? name : name + ".0", out var version) ? version : null;
}
