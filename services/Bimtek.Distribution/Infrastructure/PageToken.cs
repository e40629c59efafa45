using System.Globalization;
using System.Text;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Distribution.Infrastructure;

/// <summary>Opaque page tokens: the offset of the next row, base64-encoded so clients do not build them.</summary>
internal static class PageToken
{
    private const string Prefix = "o1:";

    public static string For(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    public static bool TryParse(string? token, out int offset)
    {
        offset = 0;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Adds a violation for a token this service did not hand out.</summary>
    public static RequestValidator ValidPageToken(this RequestValidator validator, string? token, string field = "page_token") =>
        TryParse(token, out _) ? validator : validator.Add(field, "is not a page token returned by this service");

    public static int Offset(string? token) => TryParse(token, out var offset) ? offset : 0;

    /// <summary>Cuts the extra row fetched to learn whether another page follows.</summary>
    public static (IReadOnlyList<T> Page, string NextToken) Cut<T>(IEnumerable<T> rows, int offset, int pageSize)
    {
        var list = rows.ToList();
        return list.Count > pageSize ? (list.GetRange(0, pageSize), For(offset + pageSize)) : (list, "");
    }
}
