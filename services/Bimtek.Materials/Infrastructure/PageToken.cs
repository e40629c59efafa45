using System.Globalization;
using System.Text;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Materials.Infrastructure;

/// <summary>Opaque page tokens: the offset of the next page, bound to the list it came from.</summary>
internal static class PageToken
{
    public static int Decode(string token, string list)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var parts = text.Split(':');
            if (parts.Length == 2 && parts[0] == list
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset >= 0)
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the validation error below.
        }
        throw new ValidationException("page_token", "is not a token returned by this list");
    }

    /// <summary>The next token when the page came back full (a row beyond it was fetched), else empty.</summary>
    public static string Next(string list, int offset, int pageSize, int fetched) =>
        fetched > pageSize
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{list}:{offset + pageSize}")))
            : "";
}
