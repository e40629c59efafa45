using Bimtek.Data.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bimtek.Data.Retention;

public static class RetentionExtensions
{
    /// <summary>
    /// The retention job with its options (<c>Retention:*</c>) and metrics, and no table yet: <c>AddServiceDatabase</c>
    /// adds idempotency keys and delivered outbox rows; a service adds its own tables with <c>AddRetentionTask</c>.
    /// The job starts once <see cref="DatabaseReadiness"/> is marked ready (by the schema migration). Safe to call twice.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(RetentionJob)))
        {
            return services;
        }
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.IdempotencyKeyWindow > TimeSpan.Zero && o.DeliveredOutboxWindow > TimeSpan.Zero, "Retention windows must be positive.")
            .Validate(o => o.RecordWindow >= o.IdempotencyKeyWindow,
                "Retention:RecordWindow must be at least Retention:IdempotencyKeyWindow (a record outlives the key that guards its replay).")
            .Validate(o => o.BatchSize > 0 && o.Interval > TimeSpan.Zero, "Retention:BatchSize and Retention:Interval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DatabaseReadiness>();
        services.AddSingleton<RetentionMetrics>();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }

    /// <summary>The tables every service with a <see cref="Database"/> prunes: idempotency keys, then delivered outbox rows.</summary>
    public static IServiceCollection AddSharedRetentionTasks(this IServiceCollection services) =>
        services
            .AddRetentionTask(sp => new IdempotencyKeyRetention(sp.GetRequiredService<Database>(), sp.GetRequiredService<IOptions<RetentionOptions>>()))
            .AddRetentionTask(sp => new DeliveredOutboxRetention(sp.GetRequiredService<Database>(), sp.GetRequiredService<IOptions<RetentionOptions>>()));

    /// <summary>One more table for the retention job (run after those registered before it).</summary>
    public static IServiceCollection AddRetentionTask(this IServiceCollection services, Func<IServiceProvider, IRetentionTask> task) =>
        services.AddSingleton(task);

    /// <summary>
    /// One more table of the service's own database: <paramref name="deleteBatch"/> gets the cutoff (Unix milliseconds, now
    /// less <paramref name="window"/>) and the batch size, runs in one transaction and answers the rows it deleted.
    /// </summary>
    public static IServiceCollection AddRetentionTask(this IServiceCollection services, string table, Func<RetentionOptions, TimeSpan> window,
        Func<DbSession, long, int, Task<int>> deleteBatch) =>
        services.AddRetentionTask(sp => new SqlRetentionTask(table, window, deleteBatch, sp.GetRequiredService<Database>(), sp.GetRequiredService<IOptions<RetentionOptions>>()));
}
