using Bimtek.Data.Persistence;

namespace Bimtek.ServiceDefaults.Tests;

public sealed class ReadCacheTests
{
    [Fact]
    public async Task An_entry_is_answered_from_memory_until_something_is_written()
    {
        var changes = new DataChanges(complete: true);
        var cache = new ReadCache<string, int>(changes);
        var loads = 0;
        Task<int> Load() => Task.FromResult(++loads);

        Assert.Equal(1, await cache.GetOrLoadAsync("p", Load));
        Assert.Equal(1, await cache.GetOrLoadAsync("p", Load));
        Assert.Equal(2, await cache.GetOrLoadAsync("other", Load));

        changes.Changed();
        Assert.Equal(3, await cache.GetOrLoadAsync("p", Load));
        Assert.Equal(3, await cache.GetOrLoadAsync("p", Load));
        Assert.Equal(3, loads);
    }

    [Fact]
    public async Task A_read_that_a_write_overtook_is_not_answered_again()
    {
        var changes = new DataChanges(complete: true);
        var cache = new ReadCache<string, string>(changes);
        // The write commits while the first read runs: what that read saw may predate it.
        Assert.Equal("old", await cache.GetOrLoadAsync("p", () =>
        {
            changes.Changed();
            return Task.FromResult("old");
        }));
        Assert.Equal("new", await cache.GetOrLoadAsync("p", () => Task.FromResult("new")));
    }

    [Fact]
    public async Task Nothing_is_kept_while_other_instances_writes_may_be_missed()
    {
        var changes = new DataChanges(complete: false);
        var cache = new ReadCache<string, int>(changes);
        var loads = 0;
        Task<int> Load() => Task.FromResult(++loads);

        Assert.Equal(1, await cache.GetOrLoadAsync("p", Load));
        Assert.Equal(2, await cache.GetOrLoadAsync("p", Load));

        changes.Completed();
        Assert.Equal(3, await cache.GetOrLoadAsync("p", Load));
        Assert.Equal(3, await cache.GetOrLoadAsync("p", Load));

        // The listener lost its connection: what was kept may miss a write, and nothing new is kept.
        changes.Incomplete();
        Assert.Equal(4, await cache.GetOrLoadAsync("p", Load));
        Assert.Equal(5, await cache.GetOrLoadAsync("p", Load));

        // Back: entries read while incomplete are stale.
        changes.Completed();
        Assert.Equal(6, await cache.GetOrLoadAsync("p", Load));
        Assert.Equal(6, await cache.GetOrLoadAsync("p", Load));
    }

    [Fact]
    public async Task A_failed_read_is_not_kept()
    {
        var cache = new ReadCache<string, int>(new DataChanges(complete: true));
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrLoadAsync("p", () => throw new InvalidOperationException("down")));
        Assert.Equal(7, await cache.GetOrLoadAsync("p", () => Task.FromResult(7)));
    }

    [Fact]
    public async Task A_committed_write_makes_the_databases_reads_stale_and_a_write_that_changed_nothing_does_not()
    {
        var file = Path.Combine(Path.GetTempPath(), $"read-cache-{Guid.NewGuid():N}.db");
        try
        {
            await using var database = Database.ForSqlite(file);
            Assert.True(database.Changes.Complete);
            await database.InTransactionAsync(s => s.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY)"));
            var version = database.Changes.Version;

            await database.InTransactionAsync(s => s.ExecuteAsync("INSERT INTO t (id) VALUES (1)"));
            Assert.Equal(version + 1, database.Changes.Version);

            // The outbox relay's and retention's polls change nothing most of the time; they must not empty the caches.
            await database.ExecuteAsync("DELETE FROM t WHERE id = 2", null);
            Assert.Equal(version + 1, database.Changes.Version);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
