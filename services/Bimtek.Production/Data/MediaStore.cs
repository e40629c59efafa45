namespace Bimtek.Production.Data;

/// <summary>
/// Where photo bytes live (the photos table says whose they are). Keys are chosen by production
/// (<c>photos/{photoId}/display</c>), never by a caller. Writes are whole objects; a key is written once.
/// </summary>
public interface IMediaStore
{
    Task PutAsync(string key, byte[] bytes, string contentType, CancellationToken cancellationToken);

    /// <summary>The object's bytes, or null when no object has the key.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded default: files under a folder of the service's data directory (<c>Photos:Directory</c>, default
/// <c>{Database:DataDirectory}/media</c>). A file appears under its name only once complete (written to a
/// temporary name, then moved), so a crash never leaves half a photo behind a key.
/// </summary>
internal sealed class LocalDiskMediaStore(string root) : IMediaStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task PutAsync(string key, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>Keys are production's own (<see cref="MediaKeys"/>); anything that could leave the root is refused.</summary>
    private string PathOf(string key)
    {
        if (!MediaKeys.IsValid(key))
        {
            throw new ArgumentException($"Not a media key: '{key}'.", nameof(key));
        }
        var path = Path.GetFullPath(Path.Combine(Root, key));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"Not a media key: '{key}'.", nameof(key));
    }
}

/// <summary>The keys of a photo's versions: <c>photos/{photoId}/display</c> and <c>photos/{photoId}/thumb</c>.</summary>
internal static class MediaKeys
{
    public static string Display(string photoId) => $"photos/{photoId}/display";

    public static string Thumb(string photoId) => $"photos/{photoId}/thumb";

    public static bool IsValid(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && parts[0] == "photos" && Guid.TryParse(parts[1], out _) && parts[2] is "display" or "thumb";
    }
}
