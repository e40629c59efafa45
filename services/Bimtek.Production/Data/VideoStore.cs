using Bimtek.Data.Persistence;

namespace Bimtek.Production.Data;

/// <summary>A lesson_videos row: whose video it is, what it is and where its bytes are.</summary>
internal sealed class VideoRow : IMediaRow
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

    public IReadOnlyList<string> StoredKeys => [MediaKey];
}

/// <summary>The lesson_videos table.</summary>
internal sealed class VideoStore(Database database) : MediaTable<VideoRow>(database, "lesson_videos", "video_id", VideoRow.Columns,
    "INSERT INTO lesson_videos (video_id, request_id, request_hash, programme_id, uploaded_by, content_type, bytes, sha256, " +
    "media_key, uploaded_at) VALUES (@VideoId, @RequestId, @RequestHash, @ProgrammeId, @UploadedBy, @ContentType, @Bytes, " +
    "@Sha256, @MediaKey, @UploadedAt)");
