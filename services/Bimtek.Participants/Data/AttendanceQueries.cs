using Bimtek.Data.Persistence;

namespace Bimtek.Participants.Data;

/// <summary>SQL for attendance.</summary>
public static class AttendanceQueries
{
    private const string Columns =
        "programme_id AS ProgrammeId, day AS Day, trainee_id AS TraineeId, enrolment_sequence AS EnrolmentSequence, status AS Status, " +
        "note AS Note, recorded_by AS RecordedBy, recorded_at AS RecordedAt";

    /// <summary>A later record for the same trainee and day replaces the earlier one.</summary>
    public static Task UpsertAsync(DbSession db, AttendanceRow r) => db.ExecuteAsync(
        "INSERT INTO attendance (programme_id, day, trainee_id, enrolment_sequence, status, note, recorded_by, recorded_at) " +
        "VALUES (@ProgrammeId, @Day, @TraineeId, @EnrolmentSequence, @Status, @Note, @RecordedBy, @RecordedAt) " +
        "ON CONFLICT (programme_id, day, trainee_id) DO UPDATE SET enrolment_sequence = excluded.enrolment_sequence, status = excluded.status, " +
        "note = excluded.note, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at", r);

    /// <summary>The attendance list's order: by day, then enrolment sequence.</summary>
    public static Keyset<AttendanceRow> Listing { get; } = new Keyset<AttendanceRow>("participants.attendance")
        .Ascending("day", r => r.Day).Ascending("enrolment_sequence", r => r.EnrolmentSequence).Ascending("trainee_id", r => r.TraineeId);

    public static Task<IReadOnlyList<AttendanceRow>> ListAsync(DbSession db, string programmeId, string day, string traineeId, KeysetPage page) =>
        db.QueryAsync<AttendanceRow>(
            $"SELECT {Columns} FROM attendance WHERE programme_id = @programmeId AND (@day = '' OR day = @day) " +
            $"AND (@traineeId = '' OR trainee_id = @traineeId) AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, day, traineeId }));
}
