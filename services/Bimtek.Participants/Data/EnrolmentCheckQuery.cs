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
        // The person is named by id, else by subject, else not at all; a part with nothing to look up is not sent.
        var (personColumn, personKey) = personId != "" ? ("person_id", personId) : ("subject", subject);
        var sql = new System.Text.StringBuilder($"SELECT {ProgrammeQueries.Columns} FROM programmes WHERE programme_id = @programmeId");
        if (traineeId != "")
        {
            sql.Append($";\nSELECT {EnrolmentQueries.Columns}{EnrolmentQueries.From}WHERE e.programme_id = @programmeId AND e.trainee_id = @traineeId AND e.status = 1");
        }
        if (personKey != "")
        {
            sql.Append($";\nSELECT {PeopleQueries.Columns} FROM people WHERE {personColumn} = @personKey")
                .Append(";\nSELECT s.programme_id AS ProgrammeId, s.person_id AS PersonId, s.role AS Role, s.assigned_at AS AssignedAt ")
                .Append($"FROM programme_staff s JOIN people p ON p.person_id = s.person_id WHERE s.programme_id = @programmeId AND p.{personColumn} = @personKey")
                .Append(";\nSELECT COUNT(*) FROM enrolments e JOIN people p ON p.person_id = e.trainee_id ")
                .Append($"WHERE e.programme_id = @programmeId AND p.{personColumn} = @personKey AND e.status = 1");
        }
        await using var reads = await db.QueryMultipleAsync(sql.ToString(), new { programmeId, traineeId, personKey });
        var programme = await reads.ReadSingleOrDefaultAsync<ProgrammeRow>();
        var enrolment = traineeId != "" ? await reads.ReadSingleOrDefaultAsync<EnrolmentRow>() : null;
        PersonRow? person = null;
        StaffRow? assignment = null;
        var personEnrolled = false;
        if (personKey != "")
        {
            person = await reads.ReadSingleOrDefaultAsync<PersonRow>();
            assignment = await reads.ReadSingleOrDefaultAsync<StaffRow>();
            personEnrolled = await reads.ReadSingleAsync<long>() > 0;
        }
        return new EnrolmentCheckRows(programme, enrolment, person, assignment, personEnrolled);
    }
}
