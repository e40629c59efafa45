using Bimtek.Data.Persistence;

namespace Bimtek.Participants.Data;

/// <summary>What one enrolment check reads, in one round trip.</summary>
internal sealed record EnrolmentCheckRows(
    ProgrammeRow? Programme, EnrolmentRow? TraineeEnrolment, PersonRow? Person, StaffRow? PersonAssignment, bool PersonEnrolled);

/// <summary>
/// CheckEnrolment's reads — the programme, the trainee's active enrolment, the person (by id or by sign-in subject),
/// that person's staff assignment and active enrolment — as one batch of SELECTs (issue 19: other services call this
/// once per output report and inspection; it was three to five round trips). Each SELECT is the same read the single
/// queries make, so the answer is unchanged.
/// </summary>
internal static class EnrolmentCheckQuery
{
    public static async Task<EnrolmentCheckRows> ReadAsync(DbSession db, string programmeId, string traineeId, string personId, string subject)
    {
        // The person is named by id, else by subject, else not at all (an empty key matches no one).
        var (personColumn, personKey) = personId != "" ? ("person_id", personId) : ("subject", subject);
        var sql =
            $"SELECT {ProgrammeQueries.Columns} FROM programmes WHERE programme_id = @programmeId;\n" +
            $"SELECT {EnrolmentQueries.Columns}{EnrolmentQueries.From}WHERE e.programme_id = @programmeId AND e.trainee_id = @traineeId AND e.status = 1;\n" +
            $"SELECT {PeopleQueries.Columns} FROM people WHERE {personColumn} = @personKey AND @personKey <> '';\n" +
            "SELECT s.programme_id AS ProgrammeId, s.person_id AS PersonId, s.role AS Role, s.assigned_at AS AssignedAt " +
            $"FROM programme_staff s JOIN people p ON p.person_id = s.person_id WHERE s.programme_id = @programmeId AND p.{personColumn} = @personKey AND @personKey <> '';\n" +
            "SELECT COUNT(*) FROM enrolments e JOIN people p ON p.person_id = e.trainee_id " +
            $"WHERE e.programme_id = @programmeId AND p.{personColumn} = @personKey AND @personKey <> '' AND e.status = 1";
        await using var reads = await db.QueryMultipleAsync(sql, new { programmeId, traineeId, personKey });
        var programme = await reads.ReadSingleOrDefaultAsync<ProgrammeRow>();
        var enrolment = await reads.ReadSingleOrDefaultAsync<EnrolmentRow>();
        var person = await reads.ReadSingleOrDefaultAsync<PersonRow>();
        var assignment = await reads.ReadSingleOrDefaultAsync<StaffRow>();
        var personEnrolled = await reads.ReadSingleAsync<long>() > 0;
        return new EnrolmentCheckRows(programme, traineeId == "" ? null : enrolment, person, assignment, personEnrolled);
    }
}
