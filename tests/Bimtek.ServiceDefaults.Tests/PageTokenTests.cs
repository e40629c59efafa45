using System.Text;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.Testing.Hosting;
using Grpc.Core;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>The one page token of the suite: opaque, bound to its list, refused when damaged.</summary>
public sealed class PageTokenTests
{
    [Fact]
    public void A_token_reads_back_its_key_in_its_own_list_and_an_empty_token_is_the_first_page()
    {
        var token = PageToken.After("a.list", "Ani", "r-7");
        Assert.Equal(["Ani", "r-7"], PageToken.Read(token, "a.list")!);
        Assert.Null(PageToken.Read("", "a.list"));
        Assert.Null(PageToken.Read(null, "a.list"));
    }

    [Fact]
    public void A_token_of_another_list_is_refused_with_invalid_argument()
    {
        var token = PageToken.After("distribution.recipients", "Ani", "r-7");
        var refused = Assert.Throws<ValidationException>(() => PageToken.Read(token, "distribution.handovers"));
        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Equal("page_token", Assert.Single(refused.Violations).Field);
        Assert.False(ByScore("materials.ledger").IsValid(PageToken.After("materials.lots", "20", "p1")));
        Assert.Equal("page_token", Assert.Single(Assert.Throws<ValidationException>(
            () => new RequestValidator().ValidPageToken(token, ByScore("distribution.recipients")).ThrowIfInvalid()).Violations).Field);
        Assert.Throws<ValidationException>(() => new RequestValidator().ValidPageToken(token, "other").ThrowIfInvalid());
        new RequestValidator().ValidPageToken(token, "distribution.recipients").ThrowIfInvalid();
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("cDE6MTUw")] // an old participants token ("p1:150")
    [InlineData("bWF0ZXJpYWxzOjQw")] // an old materials token ("materials:40")
    public void Tokens_not_handed_out_are_refused(string token) =>
        Assert.Throws<ValidationException>(() => PageToken.Read(token, "materials"));

    [Fact]
    public void A_tampered_token_is_refused_whichever_character_changed()
    {
        var token = PageToken.After("a.list", "Ani", "r-7");
        for (var i = 0; i < token.Length; i++)
        {
            var tampered = new StringBuilder(token) { [i] = token[i] == 'A' ? 'B' : 'A' }.ToString();
            Assert.False(PageToken.TryRead(tampered, "a.list", out _), $"character {i} changed and the token was still read");
        }
        Assert.False(PageToken.TryRead(token[..^2], "a.list", out _));
        Assert.False(PageToken.TryRead(token + "AA", "a.list", out _));
    }

    [Fact]
    public void A_token_with_a_key_of_the_wrong_shape_is_refused()
    {
        var token = PageToken.After("a.list", "only-one-part");
        Assert.Throws<ValidationException>(() => PageToken.Read(token, "a.list", keyLength: 2));
        // A keyset's numeric part must read back as a number; its parts must number as many as its columns.
        Assert.True(ByScore("a.list").IsValid(PageToken.After("a.list", "-5", "p1")));
        Assert.False(ByScore("a.list").IsValid(PageToken.After("a.list", "five", "p1")));
        Assert.False(ByScore("a.list").IsValid(PageToken.After("a.list", "5")));
        Assert.Throws<ValidationException>(() => ByScore("a.list").Page(PageToken.After("a.list", "5", "p1", "x"), 10));
    }

    [Theory, BothDatabases]
    public async Task Keyset_pages_neither_repeat_nor_skip_rows_when_rows_are_inserted_between_pages(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "keyset");
        var file = Path.Combine(Path.GetTempPath(), $"keyset-{Guid.NewGuid():N}.db");
        await using var database = db.PostgresConnectionString is { } postgres ? Database.ForPostgres(postgres) : Database.ForSqlite(file);
        try
        {
            await database.InTransactionAsync(async s =>
            {
                await s.ExecuteAsync("CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, score BIGINT NOT NULL)");
                foreach (var (id, name, score) in new[] { ("p1", "Budi", 9), ("p2", "Dewi", 7), ("p3", "Fitri", 7), ("p4", "Hadi", 5), ("p5", "Joko", 1), ("p6", "Dewi", 7) })
                {
                    await s.ExecuteAsync("INSERT INTO people (id, name, score) VALUES (@id, @name, @score)", new { id, name, score });
                }
            });

            // Highest score first, then by name and id: mixed directions, a numeric and two text parts.
            var list = new Keyset<Person>("test.people").Descending("score", p => p.Score).Ascending("name", p => p.Name).Ascending("id", p => p.Id);
            var seen = new List<string>();
            var token = "";
            var pages = 0;
            do
            {
                var page = list.Page(token, 2);
                var fetched = await database.InTransactionAsync(s => s.QueryAsync<Person>(
                    $"SELECT id AS Id, name AS Name, score AS Score FROM people WHERE {page.After} {page.OrderAndLimit}", page.With()));
                var (rows, next) = list.Cut(fetched, page);
                Assert.InRange(rows.Count, 1, 2);
                seen.AddRange(rows.Select(p => p.Id));
                token = next;
                if (pages++ == 0)
                {
                    // Between the first and the second page: one row sorts before the position, two after it.
                    await database.InTransactionAsync(s => s.ExecuteAsync(
                        "INSERT INTO people (id, name, score) VALUES ('p0', 'Ani', 10), ('p7', 'Eka', 7), ('p8', 'Ani', 7)"));
                }
            }
            while (token != "");

            // Budi 9, Dewi 7 (p2) | Dewi 7 (p6), Eka 7 | Fitri 7, Hadi 5 | Joko 1: Ani (10) sorts before the
            // position and is not shown; Ani (7) sorts before it too; Eka after it, and is shown once.
            Assert.Equal(["p1", "p2", "p6", "p7", "p3", "p4", "p5"], seen);
            Assert.Equal(4, pages);

            // The whole list, in the same order, for an export.
            var all = await database.InTransactionAsync(s => s.QueryAsync<Person>(
                $"SELECT id AS Id, name AS Name, score AS Score FROM people WHERE {list.All.After} {list.All.OrderAndLimit}", list.All.With()));
            Assert.Equal(["p0", "p1", "p8", "p2", "p6", "p7", "p3", "p4", "p5"], all.Select(p => p.Id));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static Keyset<Person> ByScore(string list) =>
        new Keyset<Person>(list).Descending("score", p => p.Score).Ascending("id", p => p.Id);

    private sealed class Person
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long Score { get; set; }
    }
}
