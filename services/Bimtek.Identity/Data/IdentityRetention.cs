using Bimtek.Data.Persistence;
using Bimtek.Data.Retention;
using Bimtek.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Bimtek.Identity.Data;

/// <summary>
/// Identity's tables for the shared retention job of Bimtek.Data (<c>Retention:*</c>, metrics <c>Bimtek.Retention</c>):
/// <list type="bullet">
/// <item>OpenID Connect tokens and authorizations that are no longer valid (expired, redeemed, revoked) and older than
/// <see cref="RetentionOptions.TokenWindow"/> (14 days), through OpenIddict's own managers. Every sign-in and refresh
/// stores tokens, so this is the table that grows fastest. A token whose row is gone is refused, never accepted.</item>
/// <item>one-time secrets (sign-in codes, invitations) expired for longer than <see cref="RetentionOptions.IdempotencyKeyWindow"/>
/// (30 days): their unique request id is what makes a retried issuing request return the first secret, so it is kept as
/// long as any idempotency key.</item>
/// <item>applied account changes older than the key window. A sender's replay after that changes nothing: an account
/// keeps the sender's time of its last applied change and ignores an older one (<c>AccountChanges</c>), and the same
/// change again sets the same values.</item>
/// </list>
/// </summary>
public static class IdentityRetention
{
    public const string TokensTable = "openiddict_tokens";
    public const string AuthorizationsTable = "openiddict_authorizations";
    public const string OneTimeSecretsTable = "one_time_secrets";
    public const string AppliedChangesTable = "applied_changes";

    /// <summary>
    /// The job and identity's tables. The job starts once the schema is migrated: registered after
    /// <c>IdentityDatabaseInitializer</c>, whose start (hosted services start one after the other) ends before
    /// <see cref="ReadyAfterInitializer"/> marks the database ready.
    /// </summary>
    public static IServiceCollection AddIdentityRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRetention(configuration);
        services.AddHostedService<ReadyAfterInitializer>();
        services.AddRetentionTask(sp => new TableTask(sp, TokensTable, o => o.TokenWindow, async (scope, threshold, _, ct) =>
            (int)Math.Min(int.MaxValue, await scope.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, ct))));
        services.AddRetentionTask(sp => new TableTask(sp, AuthorizationsTable, o => o.TokenWindow, async (scope, threshold, _, ct) =>
            (int)Math.Min(int.MaxValue, await scope.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, ct))));
        services.AddRetentionTask(sp => new TableTask(sp, OneTimeSecretsTable, o => o.IdempotencyKeyWindow, (scope, threshold, limit, ct) =>
        {
            var cutoff = Instants.ToUnixMs(threshold);
            return scope.GetRequiredService<IdentityDb>().OneTimeSecrets.Where(s => s.ExpiresAtMs < cutoff)
                .OrderBy(s => s.ExpiresAtMs).Take(limit).ExecuteDeleteAsync(ct);
        }));
        services.AddRetentionTask(sp => new TableTask(sp, AppliedChangesTable, o => o.IdempotencyKeyWindow, (scope, threshold, limit, ct) =>
        {
            var cutoff = Instants.ToUnixMs(threshold);
            return scope.GetRequiredService<IdentityDb>().AppliedChanges.Where(c => c.AppliedAtMs < cutoff)
                .OrderBy(c => c.AppliedAtMs).Take(limit).ExecuteDeleteAsync(ct);
        }));
        return services;
    }

    /// <summary>One table: <paramref name="prune"/> deletes at most a batch older than now less the window, in its own scope.</summary>
    private sealed class TableTask(
        IServiceProvider services,
        string table,
        Func<RetentionOptions, TimeSpan> window,
        Func<IServiceProvider, DateTimeOffset, int, CancellationToken, Task<int>> prune) : IRetentionTask
    {
        public string Table => table;

        public async Task<int> PruneBatchAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetentionOptions>>().Value;
            return await prune(scope.ServiceProvider, now - window(options), batchSize, cancellationToken);
        }
    }

    /// <summary>Marks the database ready for the retention job once the hosted services before it (the migration) have started.</summary>
    private sealed class ReadyAfterInitializer(DatabaseReadiness readiness) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            readiness.MarkReady();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
