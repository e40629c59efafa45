using System.Security.Cryptography;

namespace Bimtek.Production.Data;

/// <summary>
/// An upload written to a temporary file while it arrives, so that a large one (a lesson video) is never held in
/// memory: hashed (SHA-256) and its leading bytes kept for the type check as it is written. The file is removed when
/// the spool is disposed, whatever happened.
/// </summary>
internal sealed class UploadSpool : IAsyncDisposable
{
    private const int BufferSize = 81920;
    private readonly FileStream _file;
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _leading;
    private int _leadingCount;
    private string? _sha256;

    private UploadSpool(string path, int leadingLength)
    {
        Path = path;
        _leading = new byte[leadingLength];
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
    }

    /// <summary>A new spool file <c>{prefix}-{guid}.part</c> in <paramref name="folder"/> (created when missing).</summary>
    public static UploadSpool Create(string folder, string prefix, int leadingLength)
    {
        Directory.CreateDirectory(folder);
        return new UploadSpool(System.IO.Path.Combine(folder, $"{prefix}-{Guid.NewGuid():N}.part"), leadingLength);
    }

    public string Path { get; }

    /// <summary>The bytes written so far.</summary>
    public long Length { get; private set; }

    /// <summary>The first bytes (up to the length asked for at creation), for the magic-byte check.</summary>
    public ReadOnlySpan<byte> Leading => _leading.AsSpan(0, _leadingCount);

    /// <summary>The SHA-256 of the bytes (lower-case hex), once <see cref="CompleteAsync"/> ran.</summary>
    public string Sha256 => _sha256 ?? throw new InvalidOperationException("The upload is still being written.");

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        var take = Math.Min(chunk.Length, _leading.Length - _leadingCount);
        if (take > 0)
        {
            chunk.Span[..take].CopyTo(_leading.AsSpan(_leadingCount));
            _leadingCount += take;
        }
        _sha.AppendData(chunk.Span);
        await _file.WriteAsync(chunk, cancellationToken);
        Length += chunk.Length;
    }

    /// <summary>The last byte arrived: closes the file and computes the hash.</summary>
    public async Task CompleteAsync()
    {
        await _file.DisposeAsync();
        _sha256 = Convert.ToHexString(_sha.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Reads the complete upload from its start.</summary>
    public FileStream OpenRead() => new(Path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _sha.Dispose();
        File.Delete(Path);
    }
}
