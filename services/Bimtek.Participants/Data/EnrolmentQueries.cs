namespace Bimtek.Participants.Data;

/// <summary>SQL for enrolments.</summary>
public static class EnrolmentQueries
{
    private const string Columns =
        "e.enrolment_id AS EnrolmentId, e.programme_id AS ProgrammeId, e.trainee_id AS TraineeId, e.sequence AS Sequence, " +
        "e.status AS Status, e.enrolled_at AS EnrolledAt, e.withdrawn_at AS WithdrawnAt, e.withdrawal_reason AS WithdrawalReason, " +
        "p.name AS TraineeName";

    private const string From = " FROM enrolments e JOIN people p ON p.person_id = e.trainee_id ";

    public static Task<EnrolmentRow?> GetAsync(Db db, string enrolmentId) =>
        db.SingleOrDefaultAsync<EnrolmentRow>($"SELECT {Columns}{From}WHERE e.enrolment_id = @enrolmentId", new { enrolmentId });

    /// <summary>The trainee's active enrolment in the programme, if any; optionally locked.</summary>
    public static Task<EnrolmentRow?> ActiveAsync(Db db, string programmeId, string traineeId, bool lockRow = false) =>
        db.SingleOrDefaultAsync<EnrolmentRow>(
            $"SELECT {Columns}{From}WHERE e.programme_id = @programmeId AND e.trainee_id = @traineeId AND e.status = 1" +
            (lockRow && db.ForUpdate != "" ? " FOR UPDATE OF e" : ""),
            new { programmeId, traineeId });

    public static Task InsertAsync(Db db, EnrolmentRow e) => db.ExecuteAsync(
        "INSERT INTO enrolments (enrolment_id, programme_id, trainee_id, sequence, status, enrolled_at, withdrawal_reason) " +
        "VALUES (@EnrolmentId, @ProgrammeId, @TraineeId, @Sequence, @Status, @EnrolledAt, '')", e);

    public static Task WithdrawAsync(Db db, string enrolmentId, string reason, long now) => db.ExecuteAsync(
        "UPDATE enrolments SET status = 2, withdrawn_at = @now, withdrawal_reason = @reason WHERE enrolment_id = @enrolmentId",
        new { enrolmentId, reason, now });

    public static Task<IReadOnlyList<EnrolmentRow>> ListAsync(Db db, string programmeId, string traineeId, int status, int offset, int limit) =>
        db.QueryAsync<EnrolmentRow>(
            $"SELECT {Columns}{From}WHERE (@programmeId = '' OR e.programme_id = @programmeId) AND (@traineeId = '' OR e.trainee_id = @traineeId) " +
            "AND (@status = 0 OR e.status = @status) ORDER BY e.programme_id, e.sequence LIMIT @limit OFFSET @offset",
            new { programmeId, traineeId, status, offset, limit });
}
