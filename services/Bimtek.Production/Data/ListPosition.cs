using System.Globalization;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Production.Data;

/// <summary>
/// A keyset position in one of production's lists: the instant and id of the last row of a page
/// (lists are ordered by instant, then id). Carried in the suite's opaque <see cref="PageToken"/>,
/// bound to the list's name, so a token of another list, a damaged or a hand-made one is INVALID_ARGUMENT.
/// </summary>
internal readonly record struct ListPosition(long At, string Id)
{
    public const string Reports = "production.output-reports";
    public const string Inspections = "production.inspections";
    public const string ReworkOrders = "production.rework-orders";

    /// <summary>The position a token of <paramref name="list"/> carries; null for the first page.</summary>
    public static ListPosition? Read(string? token, string list)
    {
        if (PageToken.Read(token, list, keyLength: 2) is not [var at, var id])
        {
            return null;
        }
        return long.TryParse(at, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var instant) && Guid.TryParse(id, out _)
            ? new ListPosition(instant, id)
            : throw new ValidationException("page_token", "is not a page token returned by this list", ErrorReasons.InvalidPageToken);
    }

    /// <summary>The token after <paramref name="next"/>, or empty when there is no next page.</summary>
    public static string Token(string list, ListPosition? next) =>
        next is { } n ? PageToken.After(list, n.At.ToString(CultureInfo.InvariantCulture), n.Id) : "";
}
