using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
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
        return attendance.RecordAsync(context.GetCaller(), request, ProtoMapping.ToRecorded, context.CancellationToken);
    }

    public override async Task<ListAttendanceResponse> ListAttendance(ListAttendanceRequest request, ServerCallContext context)
    {
        var v = Validate().Id("programme_id", request.ProgrammeId).PageSize(request.PageSize).Date("day", request.Day, required: false);
        if (request.TraineeId != "")
        {
            v.Id("trainee_id", request.TraineeId);
        }
        v.ValidPageToken(request.PageToken, AttendanceQueries.Listing).ThrowIfInvalid();
        var page = AttendanceQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        var (rows, next) = await attendance.ListAsync(context.GetCaller(), request, page, context.CancellationToken);
        var response = new ListAttendanceResponse { NextPageToken = next };
        response.Records.Add(rows.Select(ProtoMapping.ToProto));
        return response;
    }
}
