using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Participants.Api;

internal sealed partial class ParticipantsGrpcService
{
    public override Task<RecordAttendanceResponse> RecordAttendance(RecordAttendanceRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Date("day", request.Day)
            .When(request.Records.Count is < 1 or > 500, "records", "must have 1 to 500 entries");
        var seen = new HashSet<string>();
        for (var i = 0; i < request.Records.Count; i++)
        {
            var record = request.Records[i];
            v.Id($"records[{i}].trainee_id", record.TraineeId)
                .Defined($"records[{i}].status", record.Status)
                .Optional($"records[{i}].note", record.Note, 500)
                .When(!seen.Add(record.TraineeId), $"records[{i}].trainee_id", "appears more than once");
        }
        v.ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (_, db, access) =>
        {
            await access.RequireAdminOrInstructorOfAsync(request.ProgrammeId);
            var programme = await RequireProgrammeAsync(db, request.ProgrammeId);
            if (!ProgrammeLifecycle.IsProgrammeDay(ProtoMapping.ToDateOnly(request.Day), ProtoMapping.ParseDay(programme.StartDay), ProtoMapping.ParseDay(programme.EndDay)))
            {
                throw new ValidationException("day", $"must be a programme day ({programme.StartDay} to {programme.EndDay})", ErrorReasons.ValueOutOfRange);
            }
            var day = ProtoMapping.DayText(request.Day);
            var recordedBy = await access.ActorAsync();
            var now = NowMs;
            var response = new RecordAttendanceResponse();
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
                response.Records.Add(ProtoMapping.ToProto(row));
            }
            return response;
        });
    }

    public override Task<ListAttendanceResponse> ListAttendance(ListAttendanceRequest request, ServerCallContext context)
    {
        var v = Validate().Id("programme_id", request.ProgrammeId).PageSize(request.PageSize).Date("day", request.Day, required: false);
        if (request.TraineeId != "")
        {
            v.Id("trainee_id", request.TraineeId);
        }
        v.ValidPageToken(request.PageToken, AttendanceQueries.Listing).ThrowIfInvalid();
        var page = AttendanceQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ReadAsync(context, async (db, access) =>
        {
            var allowed = access.IsAdmin
                || await access.IsStaffOfAsync(request.ProgrammeId)
                || (request.TraineeId != "" && await access.IsSelfAsync(request.TraineeId));
            if (!allowed)
            {
                throw Access.Denied();
            }
            await RequireProgrammeAsync(db, request.ProgrammeId);
            var day = request.Day is null ? "" : ProtoMapping.DayText(request.Day);
            var (rows, next) = AttendanceQueries.Listing.Cut(await AttendanceQueries.ListAsync(db, request.ProgrammeId, day, request.TraineeId, page), page);
            var response = new ListAttendanceResponse { NextPageToken = next };
            response.Records.Add(rows.Select(ProtoMapping.ToProto));
            return response;
        });
    }
}
