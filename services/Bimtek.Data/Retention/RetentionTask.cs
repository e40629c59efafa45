using Bimtek.Data.Persistence;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Data.Retention;

/// <summary>
/// One table the retention job keeps bounded. <see cref="RetentionJob"/> calls <see cref="PruneBatchAsync"/> until it
/// deletes fewer than the batch size, pausing between batches; each call is its own short transaction. The shared
/// tasks (idempotency keys, delivered outbox rows) come with <c>AddServiceDatabase</c>; a service adds its own tables
/// with <c>RetentionExtensions.AddRetentionTask</c> (notifications' sent messages, identity's tokens).
/// </summary>
public interface IRetentionTask
{
    /// <summary>The table's name: the <c>table</c> tag of <c>bimtek.retention.pruned_rows</c>.</summary>
    string Table { get; }

    /// <summary>Deletes at most <paramref name="batchSize"/> rows past their window as of <paramref name="now"/>; returns how many.</summary>
    Task<int> PruneBatchAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);
}

/// <summary>
/// A retention task on the service's <see cref="Database"/>: <paramref name="deleteBatch"/> runs in one transaction with
/// the cutoff (Unix milliseconds: rows older than <paramref name="window"/> of the options go) and the batch size, and
/// answers the rows it deleted from <paramref name="table"/> (rows of child tables it deletes with them are not counted).
/// </summary>
public sealed class SqlRetentionTask(
    string table,
    Func<RetentionOptions, TimeSpan> window,
    Func<DbSession, long, int, Task<int>> deleteBatch,
    Database database,
    Microsoft.Extensions.Options.IOptions<RetentionOptions> options) : IRetentionTask
{
    public string Table => table;

    public Task<int> PruneBatchAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var cutoff = Instants.ToUnixMs(now - window(options.Value));
        return database.InTransactionAsync(s => deleteBatch(s, cutoff, batchSize), cancellationToken);
    }
}
