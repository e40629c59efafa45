using Bimtek.Data.Persistence;
using Dapper;

namespace Bimtek.Production.Data;

/// <summary>A lesson_videos row: whose video it is, what it is and where its bytes are.</summary>
internal sealed class VideoRow
{
    public const string Columns =
        "video_id AS VideoId, request_id AS RequestId, request_hash AS RequestHash, programme_id AS ProgrammeId, " +
        "uploaded_by AS UploadedBy, content_type AS ContentType, bytes AS Bytes, sha256 AS Sha256, media_key AS MediaKey, uploaded_at AS UploadedAt";

    public string VideoId { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string UploadedBy { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Bytes { get; set; }
    public string Sha256 { get; set; } = "";
    public string MediaKey { get; set; } = "";
    public long UploadedAt { get; set; }
}

/// <summary>The lesson_videos table.</summary>
internal sealed class VideoStore(Database database)
{
    /// <summary>Inserts the row unless its request_id is taken (then 0: a concurrent duplicate stored first).</summary>
    public Task<int> InsertAsync(VideoRow r, CancellationToken cancellationToken) =>
        database.InTransactionAsync(s => s.ExecuteAsync(
            "INSERT INTO lesson_videos (video_id, request_id, request_hash, programme_id, uploaded_by, content_type, bytes, sha256, " +
            "media_key, uploaded_at) VALUES (@VideoId, @RequestId, @RequestHash, @ProgrammeId, @UploadedBy, @ContentType, @Bytes, " +
            "@Sha256, @MediaKey, @UploadedAt) ON CONFLICT (request_id) DO NOTHING", r), cancellationToken);

    public async Task<VideoRow?> FindByRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<VideoRow>(new CommandDefinition(
            $"SELECT {VideoRow.Columns} FROM lesson_videos WHERE request_id = @requestId", new { requestId }, cancellationToken: cancellationToken));
    }

    public async Task<VideoRow?> FindAsync(string videoId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenConnectionAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<VideoRow>(new CommandDefinition(
            $"SELECT {VideoRow.Columns} FROM lesson_videos WHERE video_id = @videoId", new { videoId }, cancellationToken: cancellationToken));
    }
}
