using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Application;

/// <summary>The records a use case needs to find before it acts: NOT_FOUND (or TRAINEE_NOT_ENROLLED) when missing.</summary>
internal static class Lookups
{
    public static async Task<ProgrammeRow> RequireProgrammeAsync(DbSession db, string programmeId, bool lockRow = false) =>
        await ProgrammeQueries.GetAsync(db, programmeId, lockRow) ?? throw new NotFoundException("programme", programmeId);

    public static async Task<PersonRow> RequirePersonAsync(DbSession db, string personId, bool lockRow = false) =>
        await PeopleQueries.GetAsync(db, personId, lockRow) ?? throw new NotFoundException("person", personId);

    /// <summary>The trainee's active enrolment in the programme; FAILED_PRECONDITION (TRAINEE_NOT_ENROLLED) without one.</summary>
    public static async Task<EnrolmentRow> RequireEnrolledAsync(DbSession db, string programmeId, string traineeId) =>
        await EnrolmentQueries.ActiveAsync(db, programmeId, traineeId)
        ?? throw new PreconditionException(Reasons.TraineeNotEnrolled, "The trainee is not actively enrolled in the programme.",
            [new PreconditionViolation(Reasons.TraineeNotEnrolled, $"people/{traineeId}", "not actively enrolled")]);
}
