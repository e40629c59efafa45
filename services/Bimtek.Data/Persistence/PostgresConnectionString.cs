using Npgsql;

namespace Bimtek.Data.Persistence;

/// <summary>The connection settings every PostgreSQL user of the suite (services and the Orleans silo) shares.</summary>
public static class PostgresConnectionString
{
    /// <summary>Prepared statements kept per connection (Npgsql evicts the least used beyond it).</summary>
    public const int MaxAutoPrepared = 64;

    /// <summary>
    /// Turns off the pool's reset on return. The suite keeps no session state on a connection (its advisory locks
    /// are transaction-scoped, nothing uses SET, LISTEN or temporary tables), so the <c>DISCARD ALL</c> Npgsql sends
    /// before a pooled connection's next use is a wasted round trip: the bench counted 5.6 of them per output report
    /// in production alone. An operator's explicit <c>No Reset On Close</c> setting wins.
    /// <para>
    /// Turns on Npgsql's automatic preparation: a statement a connection has sent twice is prepared on the server,
    /// so PostgreSQL stops parsing and planning the same few dozen statements of the write path on every call
    /// (issue 19: PostgreSQL was the largest CPU user per output report). The suite's statements are a fixed set of
    /// SQL texts with parameters, so <see cref="MaxAutoPrepared"/> slots per connection hold all of a service's hot ones.
    /// An operator's explicit <c>Max Auto Prepare</c> wins (0 turns it off, e.g. behind a pooler in transaction mode).
    /// </para>
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = MaxAutoPrepared;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }
}
