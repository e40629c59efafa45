using Bimtek.Data.Persistence;

namespace Bimtek.Production.Data;

/// <summary>A photos row: whose photo it is and where its versions are.</summary>
internal sealed class PhotoRow : IMediaRow
{
    public const string Columns =
        "photo_id AS PhotoId, request_id AS RequestId, request_hash AS RequestHash, programme_id AS ProgrammeId, trainee_id AS TraineeId, " +
        "uploaded_by AS UploadedBy, content_type AS ContentType, width AS Width, height AS Height, bytes AS Bytes, " +
        "thumb_width AS ThumbWidth, thumb_height AS ThumbHeight, thumb_bytes AS ThumbBytes, display_key AS DisplayKey, " +
        "thumb_key AS ThumbKey, uploaded_at AS UploadedAt";

    public string PhotoId { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string TraineeId { get; set; } = "";
    public string UploadedBy { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Width { get; set; }
    public long Height { get; set; }
    public long Bytes { get; set; }
    public long ThumbWidth { get; set; }
    public long ThumbHeight { get; set; }
    public long ThumbBytes { get; set; }
    public string DisplayKey { get; set; } = "";
    public string ThumbKey { get; set; } = "";
    public long UploadedAt { get; set; }

    public IReadOnlyList<string> StoredKeys => [DisplayKey, ThumbKey];
}

/// <summary>The photos table and the photo lists of reports and inspections.</summary>
internal sealed class PhotoStore(Database database) : MediaTable<PhotoRow>(database, "photos", "photo_id", PhotoRow.Columns,
    "INSERT INTO photos (photo_id, request_id, request_hash, programme_id, trainee_id, uploaded_by, content_type, width, height, bytes, " +
    "thumb_width, thumb_height, thumb_bytes, display_key, thumb_key, uploaded_at) VALUES (@PhotoId, @RequestId, @RequestHash, @ProgrammeId, " +
    "@TraineeId, @UploadedBy, @ContentType, @Width, @Height, @Bytes, @ThumbWidth, @ThumbHeight, @ThumbBytes, @DisplayKey, @ThumbKey, @UploadedAt)")
{
    public async Task<IReadOnlyList<PhotoRow>> FindManyAsync(IReadOnlyCollection<string> photoIds, CancellationToken cancellationToken)
    {
        if (photoIds.Count == 0)
        {
            return [];
        }
        return await Database.ReadAsync(async s =>
        {
            var rows = new List<PhotoRow>();
            foreach (var id in photoIds.Distinct())
            {
                if (await s.QuerySingleOrDefaultAsync<PhotoRow>($"SELECT {PhotoRow.Columns} FROM photos WHERE photo_id = @id", new { id }) is { } row)
                {
                    rows.Add(row);
                }
            }
            return rows;
        }, cancellationToken);
    }

    /// <summary>Records a report's photos inside the report's own transaction.</summary>
    public static async Task AttachToReportAsync(DbSession s, string reportId, IReadOnlyList<string> photoIds)
    {
        for (var i = 0; i < photoIds.Count; i++)
        {
            await s.ExecuteAsync(
                "INSERT INTO report_photos (report_id, photo_id, position) VALUES (@reportId, @photoId, @position) ON CONFLICT DO NOTHING",
                new { reportId, photoId = photoIds[i], position = i });
        }
    }

    /// <summary>Records an inspection's (or its sign-off's) photos inside that write's transaction.</summary>
    public static async Task AttachToInspectionAsync(DbSession s, string inspectionId, string stage, IReadOnlyList<string> photoIds)
    {
        for (var i = 0; i < photoIds.Count; i++)
        {
            await s.ExecuteAsync(
                "INSERT INTO inspection_photos (inspection_id, photo_id, stage, position) VALUES (@inspectionId, @photoId, @stage, @position) " +
                "ON CONFLICT DO NOTHING",
                new { inspectionId, photoId = photoIds[i], stage, position = i });
        }
    }

    /// <summary>The photo ids of each report, in the order given (one query for a page of reports).</summary>
    public async Task<ILookup<string, string>> PhotoIdsOfReportsAsync(IReadOnlyCollection<string> reportIds, CancellationToken cancellationToken)
    {
        if (reportIds.Count == 0)
        {
            return Array.Empty<string>().ToLookup(x => x);
        }
        var ids = reportIds.Distinct().ToArray();
        return (await Database.ReadAsync(s => s.QueryAsync<(string ReportId, string PhotoId)>(
            "SELECT report_id, photo_id FROM report_photos WHERE report_id " + s.Dialect.InList("ids") + " ORDER BY report_id, position",
            new { ids }), cancellationToken)).ToLookup(r => r.ReportId, r => r.PhotoId);
    }

    /// <summary>The photo ids of each inspection by stage ('inspection', 'sign_off'), in the order given.</summary>
    public static async Task<ILookup<(string InspectionId, string Stage), string>> PhotoIdsOfInspectionsAsync(DbSession s, string[] ids) =>
        (await s.QueryAsync<(string InspectionId, string Stage, string PhotoId)>(
            "SELECT inspection_id, stage, photo_id FROM inspection_photos WHERE inspection_id " + s.Dialect.InList("ids") + " ORDER BY inspection_id, position",
            new { ids })).ToLookup(r => (r.InspectionId, r.Stage), r => r.PhotoId);
}
