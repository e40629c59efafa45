using System.Collections.ObjectModel;
using Bimtek.Data.Persistence;
using Bimtek.Testing.Hosting;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>
/// Several statements in one round trip, each with its own <c>@name</c> parameters: equal names in different
/// statements stay apart, text that only looks like a parameter is left alone, and a missing one is named.
/// </summary>
public sealed class SqlBatchTests
{
    [Theory, BothDatabases]
    public async Task Statements_with_the_same_parameter_names_keep_their_own_values(DatabaseKind kind)
    {
        using var test = await TestDatabase.CreateAsync(kind, "batch");
        await using var database = test.Open("batch.db");
        await database.InTransactionAsync(s => s.ExecuteAsync("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL, quantity BIGINT NOT NULL)"));

        var (changed, expected) = await database.InTransactionAsync(async s =>
        {
            var batch = new SqlBatch()
                .Add("INSERT INTO notes (id, body, quantity) VALUES (@id, @body, @quantity)", new { id = 1L, body = "masks@home, @@version", quantity = 5L })
                // Names are matched whatever their case for an object, and a name may appear twice in one statement.
                .Add("INSERT INTO notes (id, body, quantity) VALUES (@ID, @Body, @quantity + @quantity)", new { Id = 2L, body = "gowns", quantity = 2L })
                .Add("INSERT INTO notes (id, body, quantity) VALUES (@id, @body, @quantity)",
                    new Dictionary<string, object?> { ["id"] = 3L, ["body"] = "caps", ["quantity"] = 9L })
                .Add("UPDATE notes SET quantity = quantity - @quantity WHERE id = @id",
                    new ReadOnlyDictionary<string, object?>(new Dictionary<string, object?> { ["id"] = 3L, ["quantity"] = 4L }));
            return (await batch.ExecuteAsync(s), batch.ExpectedRows);
        });
        var rows = await database.ReadAsync(s => s.QueryAsync<(long Id, string Body, long Quantity)>("SELECT id, body, quantity FROM notes ORDER BY id"));

        Assert.Equal(4, expected);
        Assert.Equal(4, changed);
        Assert.Equal([(1L, "masks@home, @@version", 5L), (2L, "gowns", 4L), (3L, "caps", 5L)], rows);
    }

    [Theory, BothDatabases]
    public async Task Statements_that_each_return_a_value_answer_in_order(DatabaseKind kind)
    {
        using var test = await TestDatabase.CreateAsync(kind, "batch");
        await using var database = test.Open("batch.db");

        var values = await database.ReadAsync(s => new SqlBatch()
            .Add("SELECT CAST(@value AS BIGINT) + 1", new { value = 41L })
            .Add("SELECT CAST(@value AS BIGINT) * 2", new { value = 21L }, expectedRows: 0)
            .QueryEachSingleAsync<long>(s));

        Assert.Equal([42L, 42L], values);
    }

    [Fact]
    public void A_parameter_the_statement_uses_but_its_values_lack_is_named()
    {
        var batch = new SqlBatch().Add("SELECT @a", new { a = 1 });

        var error = Assert.Throws<ArgumentException>(() => batch.Add("SELECT @a, @missing_one", new { a = 2 }));

        Assert.Contains("Statement 1 uses @missing_one", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, batch.Count);
    }
}
