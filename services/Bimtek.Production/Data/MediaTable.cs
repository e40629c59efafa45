using Bimtek.Data.Persistence;

namespace Bimtek.Production.Data;

/// <summary>What a row of uploaded media (a photo, a lesson video) has for the idempotent upload.</summary>
internal interface IMediaRow
{
    string RequestId { get; }

    /// <summary>The upload's fingerprint: the same request_id with another fingerprint is REQUEST_ID_REUSED.</summary>
    string RequestHash { get; }

    string UploadedBy { get; }

    /// <summary>The media store keys of the row's bytes.</summary>
    IReadOnlyList<string> StoredKeys { get; }
}

/// <summary>
/// A table of uploaded media (<c>photos</c>, <c>lesson_videos</c>): a row by its id or by its upload's request_id
/// (UNIQUE), and the insert a concurrent duplicate loses.
/// </summary>
internal class MediaTable<TRow>(Database database, string table, string idColumn, string columns, string insert)
    where TRow : class, IMediaRow
{
    protected Database Database => database;

    /// <summary>Inserts the row unless its request_id is taken (then 0: a concurrent duplicate stored first).</summary>
    public Task<int> InsertAsync(TRow row, CancellationToken cancellationToken) =>
        database.InTransactionAsync(s => s.ExecuteAsync($"{insert} ON CONFLICT (request_id) DO NOTHING", row), cancellationToken);

    public Task<TRow?> FindByRequestAsync(string requestId, CancellationToken cancellationToken) =>
        FindOneAsync("request_id", requestId, cancellationToken);

    public Task<TRow?> FindAsync(string id, CancellationToken cancellationToken) => FindOneAsync(idColumn, id, cancellationToken);

    private Task<TRow?> FindOneAsync(string column, string value, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleOrDefaultAsync<TRow>($"SELECT {columns} FROM {table} WHERE {column} = @value", new { value }), cancellationToken);
}
