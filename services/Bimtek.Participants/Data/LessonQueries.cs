using Bimtek.Data.Persistence;

namespace Bimtek.Participants.Data;

/// <summary>SQL for lessons and lesson progress.</summary>
public static class LessonQueries
{
    private const string Columns =
        "lesson_id AS LessonId, programme_id AS ProgrammeId, position AS Position, title AS Title, video_url AS VideoUrl, " +
        "duration_seconds AS DurationSeconds, product_step AS ProductStep, created_at AS CreatedAt";

    private const string ProgressColumns =
        "lesson_id AS LessonId, trainee_id AS TraineeId, furthest_position_seconds AS FurthestPositionSeconds, percent AS Percent, " +
        "completed AS Completed, reported_at AS ReportedAt, completed_at AS CompletedAt";

    public static Task<LessonRow?> GetAsync(DbSession db, string lessonId) =>
        db.QuerySingleOrDefaultAsync<LessonRow>($"SELECT {Columns} FROM lessons WHERE lesson_id = @lessonId", new { lessonId });

    public static Task<long> CountAsync(DbSession db, string programmeId) =>
        db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM lessons WHERE programme_id = @programmeId", new { programmeId });

    /// <summary>Makes room at <paramref name="position"/>; the caller holds the programme row lock.</summary>
    public static Task ShiftFromAsync(DbSession db, string programmeId, long position) => db.ExecuteAsync(
        "UPDATE lessons SET position = position + 1 WHERE programme_id = @programmeId AND position >= @position",
        new { programmeId, position });

    public static Task InsertAsync(DbSession db, LessonRow l) => db.ExecuteAsync(
        "INSERT INTO lessons (lesson_id, programme_id, position, title, video_url, duration_seconds, product_step, created_at) " +
        "VALUES (@LessonId, @ProgrammeId, @Position, @Title, @VideoUrl, @DurationSeconds, @ProductStep, @CreatedAt)", l);

    /// <summary>
    /// The lesson list's order: by position. Inserting a lesson shifts the positions after it, so a
    /// reader between two pages may meet a shifted lesson again (an offset would skip or repeat too).
    /// </summary>
    public static Keyset<LessonRow> Listing { get; } = new Keyset<LessonRow>("participants.lessons")
        .Ascending("position", l => l.Position).Ascending("lesson_id", l => l.LessonId);

    public static Task<IReadOnlyList<LessonRow>> ListAsync(DbSession db, string programmeId, KeysetPage page) =>
        db.QueryAsync<LessonRow>(
            $"SELECT {Columns} FROM lessons WHERE programme_id = @programmeId AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId }));

    public static Task<ProgressRow?> ProgressAsync(DbSession db, string lessonId, string traineeId) =>
        db.QuerySingleOrDefaultAsync<ProgressRow>(
            $"SELECT {ProgressColumns} FROM lesson_progress WHERE lesson_id = @lessonId AND trainee_id = @traineeId",
            new { lessonId, traineeId });

    public static Task UpsertProgressAsync(DbSession db, string programmeId, ProgressRow p) => db.ExecuteAsync(
        "INSERT INTO lesson_progress (lesson_id, trainee_id, programme_id, furthest_position_seconds, percent, completed, reported_at, completed_at) " +
        "VALUES (@LessonId, @TraineeId, @programmeId, @FurthestPositionSeconds, @Percent, @Completed, @ReportedAt, @CompletedAt) " +
        "ON CONFLICT (lesson_id, trainee_id) DO UPDATE SET furthest_position_seconds = excluded.furthest_position_seconds, " +
        "percent = excluded.percent, completed = excluded.completed, reported_at = excluded.reported_at, completed_at = excluded.completed_at",
        new { p.LessonId, p.TraineeId, programmeId, p.FurthestPositionSeconds, p.Percent, p.Completed, p.ReportedAt, p.CompletedAt });

    /// <summary>All progress rows of the given trainees in the programme.</summary>
    public static Task<IReadOnlyList<ProgressRow>> ProgressOfAsync(DbSession db, string programmeId, IReadOnlyCollection<string> traineeIds) =>
        traineeIds.Count == 0
            ? Task.FromResult<IReadOnlyList<ProgressRow>>([])
            : db.QueryAsync<ProgressRow>(
                $"SELECT {ProgressColumns} FROM lesson_progress WHERE programme_id = @programmeId AND trainee_id " + db.Dialect.InList("traineeIds"),
                new { programmeId, traineeIds = traineeIds.ToArray() });

    public sealed class ProgrammeTotals
    {
        public long TraineeCount { get; set; }
        public long PercentSum { get; set; }
        public long TraineesCompletedAll { get; set; }
    }

    /// <summary>
    /// Programme-wide sums over the actively enrolled trainees, in SQL so the roll-up does not
    /// load every trainee: percents summed, and trainees whose completed count equals the lesson count.
    /// </summary>
    public static Task<ProgrammeTotals?> TotalsAsync(DbSession db, string programmeId, long lessonCount) =>
        db.QuerySingleOrDefaultAsync<ProgrammeTotals>(
            "SELECT COUNT(*) AS TraineeCount, COALESCE(SUM(t.percent_sum), 0) AS PercentSum, " +
            "COALESCE(SUM(CASE WHEN @lessonCount > 0 AND t.completed_count = @lessonCount THEN 1 ELSE 0 END), 0) AS TraineesCompletedAll FROM (" +
            "SELECT e.trainee_id, (SELECT COALESCE(SUM(lp.percent), 0) FROM lesson_progress lp WHERE lp.programme_id = e.programme_id AND lp.trainee_id = e.trainee_id) AS percent_sum, " +
            "(SELECT COUNT(*) FROM lesson_progress lp WHERE lp.programme_id = e.programme_id AND lp.trainee_id = e.trainee_id AND lp.completed = 1) AS completed_count " +
            "FROM enrolments e WHERE e.programme_id = @programmeId AND e.status = 1) t",
            new { programmeId, lessonCount });
}
