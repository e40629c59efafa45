using Bimtek.Data.Retention;
using Bimtek.Identity.Data;
using Bimtek.Identity.V1;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Bimtek.Identity.Tests;

/// <summary>
/// Identity's tables under the shared retention job of Bimtek.Data (Data/IdentityRetention.cs): tokens that are no longer
/// valid and older than the token window, one-time secrets expired for longer than the key window and applied account
/// changes older than it are pruned; valid tokens, live or young secrets and young changes stay. A sender's account change
/// replayed after its applied-change row was pruned changes nothing.
/// </summary>
public sealed class RetentionTests
{
    [Theory, BothDatabases]
    public async Task Old_invalid_tokens_expired_secrets_and_applied_changes_are_pruned_and_the_rest_kept(DatabaseKind kind)
    {
        await using var h = await IdentityHarness.StartAsync(kind, "identity-retention");
        var job = h.Host.Services.GetRequiredService<RetentionJob>();
        Assert.Equal([IdentityRetention.TokensTable, IdentityRetention.AuthorizationsTable, IdentityRetention.OneTimeSecretsTable, IdentityRetention.AppliedChangesTable], job.Tables);
        var metrics = h.Host.Services.GetRequiredService<RetentionMetrics>();
        await WaitUntilAsync(() => metrics.LastRun is not null); // the start-up run; the next comes in an hour
        var now = DateTimeOffset.UtcNow;
        await using (var scope = h.Host.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            await CreateTokenAsync(tokens, "redeemed-old", Statuses.Redeemed, now.AddDays(-20), now.AddDays(-6));
            await CreateTokenAsync(tokens, "expired-old", Statuses.Valid, now.AddDays(-20), now.AddDays(-19));
            await CreateTokenAsync(tokens, "valid-old", Statuses.Valid, now.AddDays(-20), now.AddDays(10));
            await CreateTokenAsync(tokens, "redeemed-young", Statuses.Redeemed, now.AddDays(-10), now.AddDays(-9));
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            foreach (var (id, expires) in new[] { ("secret-old", now.AddDays(-31)), ("secret-young", now.AddDays(-29)), ("secret-live", now.AddMinutes(10)) })
            {
                db.OneTimeSecrets.Add(new OneTimeSecret
                {
                    Id = id,
                    RequestId = id,
                    AccountId = "a",
                    Purpose = OneTimeSecret.Purposes.SignInCode,
                    Hash = "h",
                    ExpiresAtMs = expires.ToUnixTimeMilliseconds(),
                    CreatedAtMs = expires.AddMinutes(-10).ToUnixTimeMilliseconds(),
                });
            }
            db.AppliedChanges.Add(new AppliedChange { RequestId = "change-old", Subject = "s", AppliedAtMs = now.AddDays(-31).ToUnixTimeMilliseconds() });
            db.AppliedChanges.Add(new AppliedChange { RequestId = "change-young", Subject = "s", AppliedAtMs = now.AddDays(-29).ToUnixTimeMilliseconds() });
            await db.SaveChangesAsync();
        }

        var run = await job.PruneOnceAsync(CancellationToken.None);

        Assert.Equal(2, run.PrunedByTable[IdentityRetention.TokensTable]);
        Assert.Equal(1, run.PrunedByTable[IdentityRetention.OneTimeSecretsTable]);
        Assert.Equal(1, run.PrunedByTable[IdentityRetention.AppliedChangesTable]);
        await using (var scope = h.Host.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            var left = new List<string>();
            await foreach (var token in tokens.ListAsync(count: null, offset: null, CancellationToken.None))
            {
                left.Add((await tokens.GetSubjectAsync(token))!);
            }
            Assert.Equal(["redeemed-young", "valid-old"], left.Order());
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            Assert.Equal(["secret-live", "secret-young"], (await db.OneTimeSecrets.Select(s => s.Id).ToListAsync()).Order());
            Assert.Equal(["change-young"], await db.AppliedChanges.Where(c => c.RequestId.StartsWith("change-")).Select(c => c.RequestId).ToListAsync());
        }
        Assert.Equal(0, (await job.PruneOnceAsync(CancellationToken.None)).Total);
    }

    [Theory, BothDatabases]
    public async Task An_account_change_replayed_after_its_key_was_pruned_changes_nothing(DatabaseKind kind)
    {
        await using var h = await IdentityHarness.StartAsync(kind, "identity-late-change");
        var now = DateTimeOffset.UtcNow;
        var withdrawn = Change("late-trainee", active: true, now.AddDays(-40));
        await h.Service.ApplyAccountChangeAsync(withdrawn);
        await h.Service.ApplyAccountChangeAsync(Change("late-trainee", active: false, now.AddDays(-35)));
        await using (var scope = h.Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
            var cutoff = now.AddDays(-31).ToUnixTimeMilliseconds();
            await db.AppliedChanges.Where(c => c.Subject == "late-trainee").ExecuteUpdateAsync(c => c.SetProperty(a => a.AppliedAtMs, cutoff));
        }
        var run = await h.Host.Services.GetRequiredService<RetentionJob>().PruneOnceAsync(CancellationToken.None);
        Assert.True(run.PrunedByTable[IdentityRetention.AppliedChangesTable] >= 2);

        // The first change again (a sender's outbox re-sending it after a restore): its key is gone, the account stays disabled.
        var answer = await h.Service.ApplyAccountChangeAsync(withdrawn);
        Assert.False(answer.Active);
    }

    private static ApplyAccountChangeRequest Change(string subject, bool active, DateTimeOffset at) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Subject = subject,
        Role = AccountRole.Trainee,
        Name = subject,
        Active = active,
        ChangedAt = Timestamp.FromDateTimeOffset(at),
    };

    private static async Task CreateTokenAsync(IOpenIddictTokenManager tokens, string subject, string status, DateTimeOffset created, DateTimeOffset expires) =>
        await tokens.CreateAsync(new OpenIddictTokenDescriptor
        {
            Subject = subject,
            Status = status,
            Type = TokenTypeHints.RefreshToken,
            CreationDate = created,
            ExpirationDate = expires,
        });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met within 30 s.");
            await Task.Delay(50);
        }
    }
}
