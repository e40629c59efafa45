using Bimtek.Data.Persistence;

namespace Bimtek.Participants.Data;

/// <summary>SQL for enrolments.</summary>
public static class EnrolmentQueries
{
    internal const string Columns =
        "e.enrolment_id AS EnrolmentId, e.programme_id AS ProgrammeId, e.trainee_id AS TraineeId, e.sequence AS Sequence, " +
        "e.status AS Status, e.enrolled_at AS EnrolledAt, e.withdrawn_at AS WithdrawnAt, e.withdrawal_reason AS WithdrawalReason, " +
        "p.name AS TraineeName";

    internal const string From = " FROM enrolments e JOIN people p ON p.person_id = e.trainee_id ";

    public static Task<EnrolmentRow?> GetAsync(DbSession db, string enrolmentId) =>
        db.QuerySingleOrDefaultAsync<EnrolmentRow>($"SELECT {Columns}{From}WHERE e.enrolment_id = @enrolmentId", new { enrolmentId });

    /// <summary>The trainee's active enrolment in the programme, if any; optionally locked.</summary>
    public static Task<EnrolmentRow?> ActiveAsync(DbSession db, string programmeId, string traineeId, bool lockRow = false) =>
        db.QuerySingleOrDefaultAsync<EnrolmentRow>(
            $"SELECT {Columns}{From}WHERE e.programme_id = @programmeId AND e.trainee_id = @traineeId AND e.status = 1" +
            (lockRow && db.ForUpdate != "" ? " FOR UPDATE OF e" : ""),
            new { programmeId, traineeId });

    public static Task InsertAsync(DbSession db, EnrolmentRow e) => db.ExecuteAsync(
        "INSERT INTO enrolments (enrolment_id, programme_id, trainee_id, sequence, status, enrolled_at, withdrawal_reason) " +
        "VALUES (@EnrolmentId, @ProgrammeId, @TraineeId, @Sequence, @Status, @EnrolledAt, '')", e);

    public static Task WithdrawAsync(DbSession db, string enrolmentId, string reason, long now) => db.ExecuteAsync(
        "UPDATE enrolments SET status = 2, withdrawn_at = @now, withdrawal_reason = @reason WHERE enrolment_id = @enrolmentId",
        new { enrolmentId, reason, now });

    /// <summary>The enrolment list's order: by programme, then enrolment sequence.</summary>
    public static Keyset<EnrolmentRow> Listing { get; } = InEnrolmentOrder("participants.enrolments");

    /// <summary>The trainees of a programme's lesson progress, in enrolment order.</summary>
    public static Keyset<EnrolmentRow> ProgressListing { get; } = InEnrolmentOrder("participants.lesson-progress");

    private static Keyset<EnrolmentRow> InEnrolmentOrder(string list) =>
        new Keyset<EnrolmentRow>(list).Ascending("e.programme_id", e => e.ProgrammeId).Ascending("e.sequence", e => e.Sequence);

    public static Task<IReadOnlyList<EnrolmentRow>> ListAsync(DbSession db, string programmeId, string traineeId, int status, KeysetPage page) =>
        db.QueryAsync<EnrolmentRow>(
            $"SELECT {Columns}{From}WHERE (@programmeId = '' OR e.programme_id = @programmeId) AND (@traineeId = '' OR e.trainee_id = @traineeId) " +
            $"AND (@status = 0 OR e.status = @status) AND {page.After} {page.OrderAndLimit}",
            page.With(new { programmeId, traineeId, status }));
}
