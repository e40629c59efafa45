using Bimtek.Data.Persistence;

namespace Bimtek.Participants.Data;

/// <summary>SQL for assistance requests and home visits.</summary>
public static class AssistanceQueries
{
    private const string Columns =
        "a.assistance_request_id AS AssistanceRequestId, a.programme_id AS ProgrammeId, a.trainee_id AS TraineeId, a.lesson_id AS LessonId, " +
        "a.product_step AS ProductStep, a.description AS Description, a.origin AS Origin, a.status AS Status, a.instructor_id AS InstructorId, " +
        "a.behind_schedule_day AS BehindScheduleDay, a.created_at AS CreatedAt, a.closed_at AS ClosedAt";

    private const string VisitColumns =
        "home_visit_id AS HomeVisitId, assistance_request_id AS AssistanceRequestId, programme_id AS ProgrammeId, trainee_id AS TraineeId, " +
        "instructor_id AS InstructorId, day AS Day, window_start_seconds AS WindowStartSeconds, window_end_seconds AS WindowEndSeconds, " +
        "address AS Address, outcome AS Outcome, outcome_notes AS OutcomeNotes, visited_at AS VisitedAt, created_at AS CreatedAt, " +
        "cancelled_at AS CancelledAt, change_reason AS ChangeReason, times_moved AS TimesMoved";

    public static Task<AssistanceRow?> GetAsync(DbSession db, string id, bool lockRow = false) =>
        db.QuerySingleOrDefaultAsync<AssistanceRow>(
            $"SELECT {Columns} FROM assistance_requests a WHERE a.assistance_request_id = @id" + (lockRow ? db.ForUpdate : ""), new { id });

    public static Task<AssistanceRow?> BehindScheduleAsync(DbSession db, string programmeId, string traineeId, string day) =>
        db.QuerySingleOrDefaultAsync<AssistanceRow>(
            $"SELECT {Columns} FROM assistance_requests a WHERE a.programme_id = @programmeId AND a.trainee_id = @traineeId AND a.behind_schedule_day = @day",
            new { programmeId, traineeId, day });

    /// <summary>Inserts; returns 0 when a behind-schedule request for the same trainee and day already exists.</summary>
    public static Task<int> InsertAsync(DbSession db, AssistanceRow a) => db.ExecuteAsync(
        "INSERT INTO assistance_requests (assistance_request_id, programme_id, trainee_id, lesson_id, product_step, description, origin, " +
        "status, instructor_id, behind_schedule_day, created_at) VALUES (@AssistanceRequestId, @ProgrammeId, @TraineeId, @LessonId, " +
        "@ProductStep, @Description, @Origin, @Status, @InstructorId, @BehindScheduleDay, @CreatedAt) ON CONFLICT DO NOTHING", a);

    public static Task UpdateStatusAsync(DbSession db, string id, int status, string instructorId, long? closedAt) => db.ExecuteAsync(
        "UPDATE assistance_requests SET status = @status, instructor_id = @instructorId, closed_at = @closedAt WHERE assistance_request_id = @id",
        new { id, status, instructorId, closedAt });

    /// <summary>
    /// Requests by programme, trainee and/or instructor. For an instructor: requests whose visit is
    /// theirs, plus requests still waiting for a visit in programmes they are assigned to.
    /// </summary>
    public static Task<IReadOnlyList<AssistanceRow>> ListAsync(DbSession db, string programmeId, string traineeId, string instructorId, int status, KeysetPage page) =>
        db.QueryAsync<AssistanceRow>(
            $"SELECT {Columns} FROM assistance_requests a WHERE (@programmeId = '' OR a.programme_id = @programmeId) " +
            "AND (@traineeId = '' OR a.trainee_id = @traineeId) AND (@status = 0 OR a.status = @status) " +
            "AND (@instructorId = '' OR a.instructor_id = @instructorId OR (a.instructor_id = '' AND EXISTS (" +
            "SELECT 1 FROM programme_staff s WHERE s.programme_id = a.programme_id AND s.person_id = @instructorId AND s.role = 1))) " +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, traineeId, instructorId, status }));

    /// <summary>The assistance request list's order: oldest first.</summary>
    public static Keyset<AssistanceRow> Listing { get; } = new Keyset<AssistanceRow>("participants.assistance-requests")
        .Ascending("a.created_at", a => a.CreatedAt).Ascending("a.assistance_request_id", a => a.AssistanceRequestId);

    /// <summary>The home visit list's order: by day and window start.</summary>
    public static Keyset<VisitRow> Visits { get; } = new Keyset<VisitRow>("participants.home-visits")
        .Ascending("day", v => v.Day).Ascending("window_start_seconds", v => v.WindowStartSeconds).Ascending("home_visit_id", v => v.HomeVisitId);

    public static Task<VisitRow?> GetVisitAsync(DbSession db, string id, bool lockRow = false) =>
        db.QuerySingleOrDefaultAsync<VisitRow>($"SELECT {VisitColumns} FROM home_visits WHERE home_visit_id = @id" + (lockRow ? db.ForUpdate : ""), new { id });

    public static async Task<bool> HasPendingVisitAsync(DbSession db, string assistanceRequestId) =>
        await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM home_visits WHERE assistance_request_id = @assistanceRequestId AND outcome = 0 AND cancelled_at IS NULL", new { assistanceRequestId }) > 0;

    public static Task InsertVisitAsync(DbSession db, VisitRow v) => db.ExecuteAsync(
        "INSERT INTO home_visits (home_visit_id, assistance_request_id, programme_id, trainee_id, instructor_id, day, window_start_seconds, " +
        "window_end_seconds, address, outcome, outcome_notes, created_at) VALUES (@HomeVisitId, @AssistanceRequestId, @ProgrammeId, " +
        "@TraineeId, @InstructorId, @Day, @WindowStartSeconds, @WindowEndSeconds, @Address, 0, '', @CreatedAt)", v);

    public static Task LogOutcomeAsync(DbSession db, string id, int outcome, string notes, long visitedAt) => db.ExecuteAsync(
        "UPDATE home_visits SET outcome = @outcome, outcome_notes = @notes, visited_at = @visitedAt WHERE home_visit_id = @id",
        new { id, outcome, notes, visitedAt });

    /// <summary>Moves a scheduled visit; false when it is no longer scheduled (the row lock makes that a formality).</summary>
    public static async Task<bool> MoveVisitAsync(DbSession db, string id, string day, long windowStartSeconds, long windowEndSeconds, string reason) =>
        await db.ExecuteAsync(
            "UPDATE home_visits SET day = @day, window_start_seconds = @windowStartSeconds, window_end_seconds = @windowEndSeconds, " +
            "change_reason = @reason, times_moved = times_moved + 1 WHERE home_visit_id = @id AND outcome = 0 AND cancelled_at IS NULL",
            new { id, day, windowStartSeconds, windowEndSeconds, reason }) == 1;

    /// <summary>Cancels a scheduled visit; false when it is no longer scheduled.</summary>
    public static async Task<bool> CancelVisitAsync(DbSession db, string id, string reason, long cancelledAt) =>
        await db.ExecuteAsync(
            "UPDATE home_visits SET cancelled_at = @cancelledAt, change_reason = @reason WHERE home_visit_id = @id AND outcome = 0 AND cancelled_at IS NULL",
            new { id, reason, cancelledAt }) == 1;

    public static Task<IReadOnlyList<VisitRow>> ListVisitsAsync(DbSession db, string programmeId, string instructorId, string fromDay, bool pendingOnly, KeysetPage page) =>
        db.QueryAsync<VisitRow>(
            $"SELECT {VisitColumns} FROM home_visits WHERE (@programmeId = '' OR programme_id = @programmeId) " +
            "AND (@instructorId = '' OR instructor_id = @instructorId) AND day >= @fromDay AND (@pendingOnly = 0 OR (outcome = 0 AND cancelled_at IS NULL)) " +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, instructorId, fromDay, pendingOnly = pendingOnly ? 1 : 0 }));
}
