using System.Net;
using Bimtek.Identity.Data;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Identity.Tests;

/// <summary>
/// The schema comes from EF Core migrations, one set per provider, applied at start-up; a database an earlier version
/// made with EnsureCreated is adopted (its first migration recorded as applied) and keeps its accounts.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SchemaTests
{
    [Theory, BothDatabases]
    public async Task A_database_made_by_EnsureCreated_is_adopted_by_the_migrations_and_keeps_its_accounts(DatabaseKind kind)
    {
        var database = await TestDatabase.CreateAsync(kind, "identity-adopt");
        // What an earlier version did at start-up: EnsureCreated (no migrations history), then accounts arrived.
        await using (var old = OldContext(database))
        {
            Assert.True(await old.Database.EnsureCreatedAsync());
            old.Users.Add(new Account
            {
                Id = Guid.NewGuid().ToString(),
                Subject = "instructor-lama",
                UserName = "instructor-lama",
                NormalizedUserName = "INSTRUCTOR-LAMA",
                Email = "lama@hsu.example",
                NormalizedEmail = "LAMA@HSU.EXAMPLE",
                SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true,
                Role = Roles.Instructor,
                DisplayName = "Ibu Lama",
                Office = "DISPERINDAGKOP-HSU",
            });
            await old.SaveChangesAsync();
            Assert.Empty(await old.Database.GetAppliedMigrationsAsync());
        }

        await using var identity = IdentityHarness.StartOn(database);
        await using (var scope = identity.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            Assert.IsType(kind == DatabaseKind.Postgres ? typeof(PostgresIdentityDb) : typeof(SqliteIdentityDb), db);
            Assert.NotEmpty(db.Database.GetMigrations());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        // The old account is there and usable: invited, it sets a password and signs in.
        var invitation = await identity.Operator.IssueInvitationAsync(new IssueInvitationRequest { RequestId = Guid.NewGuid().ToString(), Subject = "instructor-lama" });
        var browser = identity.NewBrowser("10.7.7.7");
        var page = await browser.GetAsync(new Uri(invitation.Url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(HttpStatusCode.Redirect,
            (await browser.PostFormAsync("/account/invitation", page.Html, new() { ["Password"] = "sasirangan2020", ["Confirm"] = "sasirangan2020" })).Status);
        var signIn = identity.NewBrowser();
        var tokens = await IdentityHarness.CodeFlowAsync(signIn, TokenTests.WithPassword(signIn, "lama@hsu.example", "sasirangan2020"));
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    private static IdentityDb OldContext(TestDatabase database) =>
        database.Kind == DatabaseKind.Postgres
            ? new PostgresIdentityDb(new DbContextOptionsBuilder<PostgresIdentityDb>().UseNpgsql(database.PostgresConnectionString).UseOpenIddict().Options)
            : new SqliteIdentityDb(new DbContextOptionsBuilder<SqliteIdentityDb>()
                .UseSqlite($"Data Source={Path.Combine(database.Configuration["Database:DataDirectory"]!, "identity.db")}").UseOpenIddict().Options);
}
