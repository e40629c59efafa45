using Bimtek.Data.Persistence;
using Bimtek.Participants.Api;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Participants.Application;

/// <summary>
/// A programme day's attendance, recorded by operators of the programme's office and its instructors: on a programme
/// day only (<see cref="ProgrammeLifecycle.IsProgrammeDay"/>), all or nothing (one trainee who is not actively enrolled
/// refuses the whole record, naming every such trainee), a later record of the same trainee and day replacing the
/// earlier one. Read by operators, the programme's staff and the trainee themself.
/// </summary>
internal sealed class Attendance(UnitOfWork work, TimeProvider time)
{
    /// <summary>
    /// Records the day. The executor stores the answer for replays, so the handler gives the mapping that makes it
    /// (<paramref name="respond"/>) from the rows recorded.
    /// </summary>
    public Task<TResponse> RecordAsync<TResponse>(Caller caller, RecordAttendanceRequest request, Func<IReadOnlyList<AttendanceRow>, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            await access.RequireAdminOrInstructorOfAsync(request.ProgrammeId);
            var programme = await Lookups.RequireProgrammeAsync(db, request.ProgrammeId);
            if (!ProgrammeLifecycle.IsProgrammeDay(CalendarDays.ToDateOnly(request.Day), CalendarDays.Parse(programme.StartDay), CalendarDays.Parse(programme.EndDay)))
            {
                throw new ValidationException("day", $"must be a programme day ({programme.StartDay} to {programme.EndDay})", ErrorReasons.ValueOutOfRange);
            }
            var day = CalendarDays.ToText(request.Day);
            var recordedBy = await access.ActorAsync();
            var now = time.NowMs();
            var notEnrolled = new List<PreconditionViolation>();
            var rows = new List<AttendanceRow>();
            foreach (var record in request.Records)
            {
                var enrolment = await EnrolmentQueries.ActiveAsync(db, programme.ProgrammeId, record.TraineeId);
                if (enrolment is null)
                {
                    notEnrolled.Add(new PreconditionViolation(Reasons.TraineeNotEnrolled, $"people/{record.TraineeId}", "not actively enrolled"));
                    continue;
                }
                rows.Add(new AttendanceRow
                {
                    ProgrammeId = programme.ProgrammeId,
                    Day = day,
                    TraineeId = record.TraineeId,
                    EnrolmentSequence = enrolment.Sequence,
                    Status = (long)record.Status,
                    Note = record.Note,
                    RecordedBy = recordedBy,
                    RecordedAt = now,
                });
            }
            // All or nothing: one trainee who is not enrolled refuses the whole day's record.
            if (notEnrolled.Count > 0)
            {
                throw new PreconditionException(Reasons.TraineeNotEnrolled, $"{notEnrolled.Count} trainee(s) are not enrolled in the programme.", notEnrolled);
            }
            foreach (var row in rows)
            {
                await AttendanceQueries.UpsertAsync(db, row);
            }
            return respond(rows);
        }, cancellationToken);

    /// <summary>A page of the programme's attendance (a day's, a trainee's), for operators, its staff and the trainee.</summary>
    public Task<(List<AttendanceRow> Rows, string NextPageToken)> ListAsync(Caller caller, ListAttendanceRequest request, KeysetPage page,
        CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            var allowed = access.IsAdmin
                || await access.IsStaffOfAsync(request.ProgrammeId)
                || (request.TraineeId != "" && await access.IsSelfAsync(request.TraineeId));
            if (!allowed)
            {
                throw Access.Denied();
            }
            await Lookups.RequireProgrammeAsync(db, request.ProgrammeId);
            var day = request.Day is null ? "" : CalendarDays.ToText(request.Day);
            return AttendanceQueries.Listing.Cut(await AttendanceQueries.ListAsync(db, request.ProgrammeId, day, request.TraineeId, page), page);
        }, cancellationToken);
}
