using System.Globalization;
using Dapper;

namespace Bimtek.Data.Persistence;

/// <summary>
/// The sort key of one keyset-paged list, declared once beside its query: the list's name (its
/// page tokens are bound to it) and the columns it is ordered by, each ascending or descending,
/// the last ones making the key unique. A page starts after the position its
/// <see cref="PageToken"/> carries, so rows inserted or removed between two page requests neither
/// repeat nor skip the rows that stay:
/// <code>
/// static readonly Keyset&lt;LotRow&gt; Lots = new Keyset&lt;LotRow&gt;("materials.lots")
///     .Descending("l.received_at", r =&gt; r.ReceivedAt).Descending("l.lot_id", r =&gt; r.LotId);
/// var page = Lots.Page(request.PageToken, pageSize);
/// var rows = await db.QueryAsync&lt;LotRow&gt;($"SELECT … WHERE l.material_id = @m AND {page.After} {page.OrderAndLimit}", page.With(new { m }));
/// var (lots, next) = Lots.Cut(rows, page);
/// </code>
/// </summary>
public sealed class Keyset<TRow>(string list)
{
    private readonly List<Part> _parts = [];

    /// <summary>The list's name, the one its page tokens are bound to.</summary>
    public string List { get; } = list;

    /// <summary>The list's ORDER BY columns, without the keywords.</summary>
    public string OrderBy => string.Join(", ", _parts.Select(p => p.Descending ? p.Column + " DESC" : p.Column));

    public Keyset<TRow> Ascending(string column, Func<TRow, string> key) => Add(column, false, r => key(r), text: true);

    public Keyset<TRow> Ascending(string column, Func<TRow, long> key) => Add(column, false, r => key(r), text: false);

    public Keyset<TRow> Descending(string column, Func<TRow, string> key) => Add(column, true, r => key(r), text: true);

    public Keyset<TRow> Descending(string column, Func<TRow, long> key) => Add(column, true, r => key(r), text: false);

    /// <summary>Whether <paramref name="token"/> is empty or a token of this list with a position of this key's shape.</summary>
    public bool IsValid(string? token) => TryRead(token, out _);

    /// <summary>
    /// The page a request asks for: the first one for an empty token, else the one after the
    /// position the token carries; a token of another list, damaged or hand-made is INVALID_ARGUMENT.
    /// </summary>
    public KeysetPage Page(string? token, int pageSize) =>
        TryRead(token, out var after) ? new KeysetPage(Predicate(after), OrderBy, pageSize, after) : throw PageToken.Refused();

    /// <summary>Every row of the list in its order (for an export or a whole-list computation).</summary>
    public KeysetPage All => new("1 = 1", OrderBy, null, null);

    /// <summary>
    /// Cuts the one extra row a page fetched to learn whether another follows: the page's rows and
    /// the token after its last row (empty when this is the last page).
    /// </summary>
    public (List<TRow> Rows, string NextPageToken) Cut(IEnumerable<TRow> fetched, KeysetPage page)
    {
        var rows = fetched.ToList();
        if (page.Size is not { } size)
        {
            return (rows, "");
        }
        var (cut, next) = PageToken.Cut(rows, size, List, row => [.. _parts.Select(p => Format(p.Key(row)))]);
        return ([.. cut], next);
    }

    private Keyset<TRow> Add(string column, bool descending, Func<TRow, object> key, bool text)
    {
        _parts.Add(new Part(column, descending, key, text));
        return this;
    }

    private bool TryRead(string? token, out object[]? after)
    {
        after = null;
        if (!PageToken.TryRead(token, List, _parts.Count, out var key))
        {
            return false;
        }
        if (key is null)
        {
            return true;
        }
        var values = new object[key.Length];
        for (var i = 0; i < key.Length; i++)
        {
            if (_parts[i].Text)
            {
                values[i] = key[i];
            }
            else if (long.TryParse(key[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                values[i] = number;
            }
            else
            {
                return false;
            }
        }
        after = values;
        return true;
    }

    // (a, b, c) after (@after0, @after1, @after2) in the list's directions: a beyond, or a equal and
    // b beyond, or a and b equal and c beyond. Written out, since row-value comparison cannot mix directions.
    private string Predicate(object[]? after)
    {
        if (after is null)
        {
            return "1 = 1";
        }
        var alternatives = new List<string>();
        for (var i = 0; i < _parts.Count; i++)
        {
            var equal = Enumerable.Range(0, i).Select(j => $"{_parts[j].Column} = @after{j}");
            var beyond = $"{_parts[i].Column} {(_parts[i].Descending ? "<" : ">")} @after{i}";
            alternatives.Add(string.Join(" AND ", equal.Append(beyond)));
        }
        return "(" + string.Join(" OR ", alternatives.Select(a => $"({a})")) + ")";
    }

    private static string Format(object value) => value switch
    {
        long number => number.ToString(CultureInfo.InvariantCulture),
        string text => text,
        _ => throw new InvalidOperationException($"A keyset part is a string or a long, not {value.GetType().Name}."),
    };

    private sealed record Part(string Column, bool Descending, Func<TRow, object> Key, bool Text);
}

/// <summary>
/// One page of a <see cref="Keyset{TRow}"/> list as SQL: <see cref="After"/> continues a WHERE
/// clause (<c>1 = 1</c> on the first page), <see cref="OrderAndLimit"/> ends the statement, and
/// <see cref="With"/> adds their parameters (<c>@after0…</c>, <c>@pageLimit</c>) to the query's own.
/// </summary>
public sealed class KeysetPage
{
    private readonly object[]? _after;

    internal KeysetPage(string after, string orderBy, int? size, object[]? afterValues)
    {
        After = after;
        Size = size;
        _after = afterValues;
        OrderAndLimit = "ORDER BY " + orderBy + (size is null ? "" : " LIMIT @pageLimit");
    }

    /// <summary>The condition a row meets when it sorts after the token's position.</summary>
    public string After { get; }

    /// <summary>The ORDER BY of the list and the LIMIT of one page and one row more.</summary>
    public string OrderAndLimit { get; }

    /// <summary>Whether this is the list's first page (the request carried no token).</summary>
    public bool IsFirst => _after is null;

    /// <summary>Rows on the page; null when the whole list is read.</summary>
    public int? Size { get; }

    /// <summary>The query's parameters and the page's.</summary>
    public DynamicParameters With(object? parameters = null)
    {
        var all = new DynamicParameters(parameters);
        for (var i = 0; i < (_after?.Length ?? 0); i++)
        {
            all.Add($"after{i}", _after![i]);
        }
        if (Size is { } size)
        {
            all.Add("pageLimit", size + 1);
        }
        return all;
    }
}
