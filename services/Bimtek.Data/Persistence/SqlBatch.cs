using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using Dapper;

namespace Bimtek.Data.Persistence;

/// <summary>
/// Several statements sent to the database in one round trip, inside the session's transaction, in the
/// order they were added (PostgreSQL runs them one after another, as if sent one by one; so does
/// SQLite). Each statement keeps its own Dapper-style <c>@name</c> parameters, taken from its own
/// parameter object; they are renamed per statement so that equal names do not collide.
/// </summary>
public sealed class SqlBatch
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> _properties = new();

    private readonly StringBuilder _sql = new();
    private readonly DynamicParameters _parameters = new();

    /// <summary>How many statements were added.</summary>
    public int Count { get; private set; }

    /// <summary>The rows the statements change when each changes what it was added for (one each unless told).</summary>
    public int ExpectedRows { get; private set; }

    /// <summary>A statement whose <c>@name</c> parameters are the properties of <paramref name="parameters"/>.</summary>
    public SqlBatch Add(string sql, object parameters, int expectedRows = 1)
    {
        var properties = _properties.GetOrAdd(parameters.GetType(), type =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase))
            .GetAlternateLookup<ReadOnlySpan<char>>();
        return Add(sql, name => properties.TryGetValue(name, out var property) ? (property.Name, property.GetValue(parameters)) : null, expectedRows);
    }

    /// <summary>A statement whose <c>@name</c> parameters are named in <paramref name="parameters"/> (built for a varying number of rows).</summary>
    public SqlBatch Add(string sql, IReadOnlyDictionary<string, object?> parameters, int expectedRows = 1)
    {
        if (parameters is Dictionary<string, object?> dictionary && dictionary.TryGetAlternateLookup<ReadOnlySpan<char>>(out var lookup))
        {
            return Add(sql, name => lookup.TryGetValue(name, out var key, out var value) ? (key, value) : null, expectedRows);
        }
        return Add(sql, name => parameters.TryGetValue(name.ToString(), out var value) ? (name.ToString(), value) : null, expectedRows);
    }

    /// <summary>
    /// Appends the statement with each <c>@name</c> renamed to <c>@b{statement}_{name}</c>, scanning it once (this runs for
    /// every row a posting writes, so it allocates only the new names). A name is <c>@</c> then a letter or underscore and
    /// letters, digits or underscores, where the <c>@</c> follows neither another <c>@</c> nor a word character (so
    /// e-mail-like text and <c>@@</c> are left alone).
    /// </summary>
    private SqlBatch Add(string sql, ParameterLookup parameter, int expectedRows)
    {
        var index = Count;
        var start = _sql.Length;
        if (Count > 0)
        {
            _sql.Append(";\n");
        }
        var copied = 0;
        for (var at = sql.IndexOf('@'); at >= 0; at = sql.IndexOf('@', at + 1))
        {
            var end = at + 1;
            if ((at > 0 && (sql[at - 1] == '@' || IsWordCharacter(sql[at - 1]))) || end == sql.Length || !IsNameStart(sql[end]))
            {
                continue;
            }
            while (end < sql.Length && IsNamePart(sql[end]))
            {
                end++;
            }
            var name = sql.AsSpan(at + 1, end - at - 1);
            if (parameter(name) is not var (found, value))
            {
                _sql.Length = start;
                throw new ArgumentException($"Statement {index} uses @{name}, which its parameters do not have.", nameof(sql));
            }
            var unique = string.Create(CultureInfo.InvariantCulture, $"b{index}_{found}");
            _parameters.Add(unique, value);
            _sql.Append(sql, copied, at - copied).Append('@').Append(unique);
            copied = end;
            at = end - 1;
        }
        _sql.Append(sql, copied, sql.Length - copied);
        Count++;
        ExpectedRows += expectedRows;
        return this;
    }

    private delegate (string Name, object? Value)? ParameterLookup(ReadOnlySpan<char> name);

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>What a regular expression's <c>\w</c> matches: letters, combining marks, decimal digits, connector punctuation.</summary>
    private static bool IsWordCharacter(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;

    /// <summary>Runs every statement; returns the rows they changed, summed.</summary>
    public Task<int> ExecuteAsync(DbSession session) =>
        Count == 0 ? Task.FromResult(0) : session.Connection.ExecuteAsync(Command(session));

    /// <summary>Runs statements that each return one row of one value (e.g. <c>RETURNING quantity</c>); returns them in order.</summary>
    public async Task<IReadOnlyList<T>> QueryEachSingleAsync<T>(DbSession session)
    {
        var values = new List<T>(Count);
        if (Count == 0)
        {
            return values;
        }
        await using var reader = await session.Connection.QueryMultipleAsync(Command(session));
        for (var i = 0; i < Count; i++)
        {
            values.Add(await reader.ReadSingleAsync<T>());
        }
        return values;
    }

    private CommandDefinition Command(DbSession session) =>
        new(_sql.ToString(), _parameters, session.Transaction, cancellationToken: session.CancellationToken);
}
