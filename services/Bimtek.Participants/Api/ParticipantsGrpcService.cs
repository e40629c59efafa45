using Bimtek.Participants.Application;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Api;

/// <summary>
/// The gRPC (and, by transcoding, REST) surface of the participants service, split by area over several files:
/// programmes, people, enrolments, lessons, attendance, assistance (with home visits). A handler validates the
/// request, makes one call — a use case of <c>Application/</c> for every write (it checks access, keeps request_id
/// idempotency, the transaction and the outbox) and for every read (it checks access and reads <c>Data/</c>) — and
/// maps the answer (<see cref="ProtoMapping"/>).
/// </summary>
internal sealed partial class ParticipantsGrpcService(
    Programmes programmes,
    People people,
    Enrolments enrolments,
    Lessons lessons,
    Attendance attendance,
    AssistanceRequests assistance,
    HomeVisitChanges visits,
    TimeProvider time) : ParticipantsService.ParticipantsServiceBase
{
    /// <summary>How far in the future a device clock may be before a report is refused.</summary>
    private static TimeSpan MaxClockSkew => TimeSpan.FromMinutes(5);

    /// <summary>The year a person's minority (and a birth year's range) is judged by.</summary>
    private int CurrentYear => time.CurrentYear();

    private static RequestValidator Validate() => new();
}
