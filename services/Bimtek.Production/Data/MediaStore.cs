namespace Bimtek.Production.Data;

/// <summary>
/// Where photo and lesson video bytes live (the photos and lesson_videos tables say whose they are). Keys are chosen
/// by production (<c>photos/{photoId}/display</c>, <c>videos/{videoId}/original</c>), never by a caller. Writes are
/// whole objects; a key is written once. Videos are written from a stream and read by byte range, so a large one is
/// never held in memory.
/// </summary>
public interface IMediaStore
{
    Task PutAsync(string key, byte[] bytes, string contentType, CancellationToken cancellationToken);

    /// <summary>Writes the object from a readable, seekable stream of <paramref name="length"/> bytes (from its position).</summary>
    Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken);

    /// <summary>The object's bytes, or null when no object has the key.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// A stream of the object's bytes from <paramref name="offset"/>, <paramref name="length"/> of them (the caller keeps
    /// within the object, whose length it knows), or null when no object has the key. The caller disposes it.
    /// </summary>
    Task<Stream?> OpenRangeAsync(string key, long offset, long length, CancellationToken cancellationToken);

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

    public async Task PutAsync(string key, Stream content, long length, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
                if (file.Length != length)
                {
                    throw new InvalidOperationException($"Wrote {file.Length} bytes for '{key}', expected {length}.");
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenRangeAsync(string key, long offset, long length, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            file.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream?>(file);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
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

/// <summary>
/// The keys of a photo's versions (<c>photos/{photoId}/display</c>, <c>photos/{photoId}/thumb</c>) and of a lesson
/// video (<c>videos/{videoId}/original</c>: kept as uploaded).
/// </summary>
internal static class MediaKeys
{
    public static string Display(string photoId) => $"photos/{photoId}/display";

    public static string Thumb(string photoId) => $"photos/{photoId}/thumb";

    public static string Video(string videoId) => $"videos/{videoId}/original";

    public static bool IsValid(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && Guid.TryParse(parts[1], out _)
            && ((parts[0] == "photos" && parts[2] is "display" or "thumb") || (parts[0] == "videos" && parts[2] == "original"));
    }
}
