using Bimtek.Data.Persistence;
using Bimtek.Testing.Hosting;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>
/// The one data-access session: a store's query, written once with <see cref="DbSession.ForUpdate"/> and
/// <see cref="SqlDialect.InList"/>, serves a read outside a transaction (<see cref="Database.ReadAsync{T}"/>) and a
/// write's check under lock inside one (<see cref="Database.InTransactionAsync{T}"/>), on both engines.
/// </summary>
public sealed class DbSessionTests
{
    [Theory, BothDatabases]
    public async Task One_query_reads_outside_a_transaction_and_locks_its_rows_inside_one(DatabaseKind kind)
    {
        using var test = await TestDatabase.CreateAsync(kind, "session");
        await using var database = test.Open("session.db");
        await database.InTransactionAsync(async s =>
        {
            await s.ExecuteAsync("CREATE TABLE stock (item TEXT PRIMARY KEY, quantity BIGINT NOT NULL)");
            await s.ExecuteAsync("INSERT INTO stock (item, quantity) VALUES (@item, @quantity)",
                new[] { new { item = "masks", quantity = 5L }, new { item = "gowns", quantity = 2L }, new { item = "caps", quantity = 9L } });
        });

        var read = await database.ReadAsync(async s => (s.InTransaction, s.ForUpdate, Rows: await StockAsync(s, ["masks", "gowns"])));
        var written = await database.InTransactionAsync(async s =>
        {
            var before = await StockAsync(s, ["masks"]);
            await s.ExecuteAsync("UPDATE stock SET quantity = quantity - 1 WHERE item = 'masks'");
            return (s.InTransaction, s.ForUpdate, Rows: before);
        });
        var after = await database.ReadAsync(s => StockAsync(s, ["masks", "caps"]));

        Assert.False(read.InTransaction);
        Assert.Equal("", read.ForUpdate);
        Assert.Equal([("gowns", 2L), ("masks", 5L)], read.Rows);
        Assert.True(written.InTransaction);
        Assert.Equal(kind == DatabaseKind.Postgres ? " FOR UPDATE" : "", written.ForUpdate);
        Assert.Equal([("masks", 5L)], written.Rows);
        Assert.Equal([("caps", 9L), ("masks", 4L)], after);
    }

    [Theory, BothDatabases]
    public async Task A_read_session_refuses_an_after_commit_action_and_reads_several_results_in_one_trip(DatabaseKind kind)
    {
        using var test = await TestDatabase.CreateAsync(kind, "session");
        await using var database = test.Open("session.db");

        var (first, second) = await database.ReadAsync(async s =>
        {
            Assert.Throws<InvalidOperationException>(() => s.AfterCommit(() => { }));
            await using var results = await s.QueryMultipleAsync("SELECT CAST(1 AS BIGINT);\nSELECT CAST(2 AS BIGINT)");
            return (await results.ReadSingleAsync<long>(), await results.ReadSingleAsync<long>());
        });

        Assert.Equal((1L, 2L), (first, second));
    }

    // The shape every store has: the rows a write decides on, locked when it runs in a transaction.
    private static Task<IReadOnlyList<(string Item, long Quantity)>> StockAsync(DbSession s, string[] items) =>
        s.QueryAsync<(string Item, long Quantity)>(
            $"SELECT item, quantity FROM stock WHERE item {s.Dialect.InList("items")} ORDER BY item{s.ForUpdate}", new { items });
}
