using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Data.Persistence;

/// <summary>
/// The suite's one page token. It carries the position after the last row of a page — the sort
/// key of that row (keyset paging: <c>WHERE (key…) &gt; (@last…) ORDER BY key… LIMIT n + 1</c>, so
/// rows inserted between two page requests neither repeat nor skip rows) or, for a list not yet
/// keyed, a row offset — and the name of the list it belongs to, behind a checksum, base64url
/// encoded. Clients treat it as opaque: a token of another list, a damaged or a hand-made one is
/// refused with INVALID_ARGUMENT (HTTP 400) on <c>page_token</c>. The checksum catches damage, not
/// forgery: a token only ever names a position the caller could page to anyway.
/// </summary>
public static class PageToken
{
    private const int Version = 1;
    private const int ChecksumBytes = 8;
    private const int MaxTokenLength = 2048;
    private const string Field = "page_token";

    /// <summary>A token for the position after a row whose sort key is <paramref name="key"/>.</summary>
    public static string After(string list, params string[] key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(Version, list, key));
        var token = new byte[payload.Length + ChecksumBytes];
        payload.CopyTo(token, 0);
        Checksum(payload).CopyTo(token.AsSpan(payload.Length));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The key a token of <paramref name="list"/> carries; null for an empty token (the first page).</summary>
    public static bool TryRead(string? token, string list, out string[]? key) => TryRead(token, list, 0, out key);

    /// <summary>As the overload above, and the key has <paramref name="keyLength"/> parts (0: any).</summary>
    public static bool TryRead(string? token, string list, int keyLength, out string[]? key)
    {
        key = null;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        if (token.Length > MaxTokenLength || !Base64Url.IsValid(token))
        {
            return false;
        }
        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes.Length <= ChecksumBytes)
        {
            return false;
        }
        var payload = bytes.AsSpan(0, bytes.Length - ChecksumBytes);
        if (!CryptographicOperations.FixedTimeEquals(Checksum(payload), bytes.AsSpan(bytes.Length - ChecksumBytes)))
        {
            return false;
        }
        try
        {
            var read = JsonSerializer.Deserialize<Payload>(payload);
            if (read is not { V: Version, Key: { Length: > 0 } } || read.List != list || read.Key.Any(k => k is null)
                || (keyLength > 0 && read.Key.Length != keyLength))
            {
                return false;
            }
            key = read.Key;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The key of a token of <paramref name="list"/>, null for the first page; otherwise INVALID_ARGUMENT.</summary>
    public static string[]? Read(string? token, string list, int keyLength = 0) =>
        TryRead(token, list, keyLength, out var key) ? key : throw Refused();

    /// <summary>Adds a violation on <c>page_token</c> when the token is not one of <paramref name="keyset"/>'s list, or not of its key's shape.</summary>
    public static RequestValidator ValidPageToken<TRow>(this RequestValidator validator, string? token, Keyset<TRow> keyset) =>
        keyset.IsValid(token) ? validator : validator.Add(Field, RefusedMessage, ErrorReasons.InvalidPageToken);

    /// <summary>Adds a violation on <c>page_token</c> when the token is not one of <paramref name="list"/>.</summary>
    public static RequestValidator ValidPageToken(this RequestValidator validator, string? token, string list) =>
        TryRead(token, list, out _) ? validator : validator.Add(Field, RefusedMessage, ErrorReasons.InvalidPageToken);

    /// <summary>
    /// Cuts the one extra row fetched to learn whether another page follows: the page, and the token
    /// after its last row (empty when this is the last page). <see cref="Keyset{TRow}"/> does this for
    /// a declared list; this overload serves a list that writes its keyset SQL itself.
    /// </summary>
    public static (IReadOnlyList<T> Page, string NextToken) Cut<T>(IReadOnlyList<T> rows, int pageSize, string list, Func<T, string[]> keyOf)
    {
        if (rows.Count <= pageSize)
        {
            return (rows, "");
        }
        var page = rows.Take(pageSize).ToList();
        return (page, After(list, keyOf(page[^1])));
    }

    private const string RefusedMessage = "is not a page token returned by this list";

    internal static ValidationException Refused() => new(Field, RefusedMessage, ErrorReasons.InvalidPageToken);

    private static byte[] Checksum(ReadOnlySpan<byte> payload) => SHA256.HashData(payload)[..ChecksumBytes];

    private sealed record Payload(int V, string List, string[] Key);
}
