using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace Bimtek.Data.Persistence;

/// <summary>
/// Several statements sent to the database in one round trip, inside the session's transaction, in the
/// order they were added (PostgreSQL runs them one after another, as if sent one by one; so does
/// SQLite). Each statement keeps its own Dapper-style <c>@name</c> parameters, taken from its own
/// parameter object; they are renamed per statement so that equal names do not collide.
/// </summary>
public sealed partial class SqlBatch
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
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase));
        return Add(sql, name => properties.TryGetValue(name, out var property) ? (property.Name, property.GetValue(parameters)) : null, expectedRows);
    }

    /// <summary>A statement whose <c>@name</c> parameters are named in <paramref name="parameters"/> (built for a varying number of rows).</summary>
    public SqlBatch Add(string sql, IReadOnlyDictionary<string, object?> parameters, int expectedRows = 1) =>
        Add(sql, name => parameters.TryGetValue(name, out var value) ? (name, value) : null, expectedRows);

    private SqlBatch Add(string sql, Func<string, (string Name, object? Value)?> parameter, int expectedRows)
    {
        var index = Count;
        var renamed = Parameter().Replace(sql, match =>
        {
            var name = match.Groups[1].Value;
            var (found, value) = parameter(name)
                ?? throw new ArgumentException($"Statement {index} uses @{name}, which its parameters do not have.", nameof(sql));
            var unique = $"b{index}_{found}";
            _parameters.Add(unique, value);
            return "@" + unique;
        });
        if (Count > 0)
        {
            _sql.Append(";\n");
        }
        _sql.Append(renamed);
        Count++;
        ExpectedRows += expectedRows;
        return this;
    }

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

    // @name not preceded by another @ or a word character (so e-mail-like text and @@ are left alone).
    [GeneratedRegex(@"(?<![\w@])@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();
}
