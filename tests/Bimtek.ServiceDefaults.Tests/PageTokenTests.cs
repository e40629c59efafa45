using System.Text;
using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Errors;
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
        Assert.Equal(150, PageToken.Offset(PageToken.AtOffset("a.list", 150), "a.list"));
        Assert.Equal(0, PageToken.Offset("", "a.list"));
        Assert.Equal("", PageToken.NextOffset("a.list", 0, 10, 10));
        Assert.Equal(10, PageToken.Offset(PageToken.NextOffset("a.list", 0, 10, 11), "a.list"));
    }

    [Fact]
    public void A_token_of_another_list_is_refused_with_invalid_argument()
    {
        var token = PageToken.After("distribution.recipients", "Ani", "r-7");
        var refused = Assert.Throws<ValidationException>(() => PageToken.Read(token, "distribution.handovers"));
        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Equal("page_token", Assert.Single(refused.Violations).Field);
        Assert.False(PageToken.TryOffset(PageToken.AtOffset("materials.lots", 20), "materials.ledger", out _));
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
        Assert.False(PageToken.TryOffset(PageToken.After("a.list", "#offset", "-5"), "a.list", out _));
    }

    [Fact]
    public async Task Keyset_pages_neither_repeat_nor_skip_rows_when_rows_are_inserted_between_pages()
    {
        var file = Path.Combine(Path.GetTempPath(), $"page-token-{Guid.NewGuid():N}.db");
        await using var database = Database.ForSqlite(file);
        try
        {
            await database.InTransactionAsync(async s =>
            {
                await s.ExecuteAsync("CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL)");
                foreach (var (id, name) in new[] { ("p1", "Budi"), ("p2", "Dewi"), ("p3", "Fitri"), ("p4", "Hadi"), ("p5", "Joko"), ("p6", "Dewi") })
                {
                    await s.ExecuteAsync("INSERT INTO people (id, name) VALUES (@id, @name)", new { id, name });
                }
            });

            const string list = "test.people";
            var seen = new List<string>();
            var token = "";
            var page = 0;
            do
            {
                var after = PageToken.Read(token, list, keyLength: 2);
                var rows = (await database.InTransactionAsync(s => s.QueryAsync<Person>(
                    "SELECT id AS Id, name AS Name FROM people " +
                    "WHERE (@hasAfter = 0 OR name > @afterName OR (name = @afterName AND id > @afterId)) ORDER BY name, id LIMIT @limit",
                    new { hasAfter = after is null ? 0 : 1, afterName = after?[0] ?? "", afterId = after?[1] ?? "", limit = 3 }))).ToList();
                var (cut, next) = PageToken.Cut(rows, 2, list, p => [p.Name, p.Id]);
                seen.AddRange(cut.Select(p => p.Id));
                token = next;
                if (page++ == 0)
                {
                    // Between the first and the second page: one row sorts before the position, one after it.
                    await database.InTransactionAsync(s => s.ExecuteAsync(
                        "INSERT INTO people (id, name) VALUES ('p0', 'Ani'), ('p7', 'Eka')"));
                }
            }
            while (token != "");

            // Budi, Dewi(p2) | Dewi(p6), Eka(p7) | Fitri, Hadi | Joko — Ani sorts before the position and is not shown.
            Assert.Equal(["p1", "p2", "p6", "p7", "p3", "p4", "p5"], seen);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private sealed class Person
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
    }
}
