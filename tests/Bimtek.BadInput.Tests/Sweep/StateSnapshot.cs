using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Bimtek.BadInput.Tests.Sweep;

/// <summary>
/// Every table of every SQLite database under the suite's data folder: its row count and a hash of all its
/// rows (order-independent), so an insert, update or delete anywhere — the idempotency and outbox tables
/// included — shows up as a difference.
/// </summary>
public sealed class StateSnapshot
{
    private readonly SortedDictionary<string, (long Rows, string Hash)> _tables = new(StringComparer.Ordinal);

    public int TableCount => _tables.Count;

    public long RowCount => _tables.Values.Sum(t => t.Rows);

    public static async Task<StateSnapshot> TakeAsync(string dataDirectory)
    {
        var snapshot = new StateSnapshot();
        var files = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".db", StringComparison.Ordinal) || f.EndsWith(".sqlite", StringComparison.Ordinal) || f.EndsWith(".sqlite3", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetRelativePath(dataDirectory, file);
            var builder = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            await using var connection = new SqliteConnection(builder.ToString());
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }
            foreach (var table in tables)
            {
                snapshot._tables[$"{name}:{table}"] = await HashTableAsync(connection, table);
            }
        }
        return snapshot;
    }

    /// <summary>Tables whose rows differ between the two snapshots (or exist in only one).</summary>
    public IReadOnlyList<string> Differences(StateSnapshot after)
    {
        var differences = new List<string>();
        foreach (var key in _tables.Keys.Union(after._tables.Keys).Order(StringComparer.Ordinal))
        {
            var had = _tables.TryGetValue(key, out var before);
            var has = after._tables.TryGetValue(key, out var now);
            if (!had || !has || before != now)
            {
                differences.Add($"{key}: {(had ? $"{before.Rows} rows" : "absent")} -> {(has ? $"{now.Rows} rows" : "absent")}{(had && has && before.Rows == now.Rows ? " (rows changed)" : "")}");
            }
        }
        return differences;
    }

    private static async Task<(long Rows, string Hash)> HashTableAsync(SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        var line = new StringBuilder();
        while (await reader.ReadAsync())
        {
            line.Clear();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                line.Append(reader.IsDBNull(i) ? "\u2400" : Convert.ToString(reader.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\u241F');
            }
            rows.Add(line.ToString());
        }
        rows.Sort(StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u241E', rows)));
        return (rows.Count, Convert.ToHexString(hash));
    }
}
