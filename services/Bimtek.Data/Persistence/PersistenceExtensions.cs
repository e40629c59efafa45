using System.Reflection;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Data.Retention;
using Bimtek.ServiceDefaults.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bimtek.Data.Persistence;

public static class PersistenceExtensions
{
    /// <summary>Name of the connection string that switches a service to PostgreSQL.</summary>
    public const string PostgresConnectionName = "Postgres";

    /// <summary>
    /// The service's own database with its versioned schema (embedded <c>Schema/*.sql</c> of
    /// <paramref name="schemaAssembly"/>), the request_id store, the transactional outbox and its
    /// relay, the retention job that prunes old keys and delivered outbox rows, and their readiness checks. PostgreSQL when <c>ConnectionStrings:Postgres</c> is
    /// set; otherwise <c>{Database:DataDirectory}/{serviceName}.db</c> (SQLite).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string serviceName, Assembly schemaAssembly)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().Bind(builder.Configuration.GetSection(DatabaseOptions.Section));
        services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.Section));
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var postgres = sp.GetRequiredService<IConfiguration>().GetConnectionString(PostgresConnectionName);
            return string.IsNullOrWhiteSpace(postgres)
                ? Database.ForSqlite(Path.Combine(options.DataDirectory, $"{serviceName}.db"), options.MaxTransactionAttempts)
                : Database.ForPostgres(postgres, options.MaxTransactionAttempts);
        });
        // "service-defaults": the component name recorded in schema_migrations before this library
        // was split out of ServiceDefaults; renaming it would re-run applied scripts.
        services.AddSingleton(new SchemaSource("service-defaults", typeof(PersistenceExtensions).Assembly));
        services.AddSingleton(new SchemaSource(serviceName, schemaAssembly));
        services.AddSingleton<SchemaMigrator>();
        services.TryAddSingleton<DatabaseReadiness>();
        services.AddHostedService<DatabaseInitializer>();

        services.AddSingleton<IdempotentExecutor>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxStatus>();
        services.AddSingleton<OutboxMetrics>();
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddRetention(builder.Configuration);
        services.AddSharedRetentionTasks();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<OutboxHealthCheck>("outbox", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Hears the writes other instances of this service commit (PostgreSQL LISTEN on <see cref="DataChangeListener.Channel"/>,
    /// notified by the triggers of the service's schema), so its <see cref="ReadCache{TKey, TValue}"/>s may answer from memory.
    /// Without it, on PostgreSQL, read caches never keep anything.
    /// </summary>
    public static IServiceCollection AddDataChangeListener(this IServiceCollection services) =>
        services.AddHostedService<DataChangeListener>();

    /// <summary>Registers the deliverer of one outbox destination.</summary>
    public static IServiceCollection AddOutboxDestination<TDestination>(this IServiceCollection services)
        where TDestination : class, IOutboxDestination =>
        services.AddSingleton<IOutboxDestination, TDestination>();
}
