using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Bimtek.Participants.Domain;

/// <summary>
/// Opaque page tokens: a versioned offset, base64url-encoded. Clients must treat them as opaque;
/// anything that does not decode is refused as INVALID_ARGUMENT.
/// </summary>
public static class PageToken
{
    private const string Prefix = "p1:";

    public static string Encode(int offset) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? token, out int offset)
    {
        offset = 0;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        if (token.Length > 64)
        {
            return false;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The next token when the page came back full (one extra row was fetched to know), else empty.</summary>
    public static string Next(int offset, int pageSize, int fetched) => fetched > pageSize ? Encode(offset + pageSize) : "";
}
