using System.Collections.Concurrent;
using Bimtek.Common.V1;
using Bimtek.Participants.V1;
using Grpc.Core;

namespace Bimtek.Production.Tests.Fakes;

/// <summary>A programme as the fake participants service knows it.</summary>
public sealed class FakeProgramme
{
    public string ProgrammeId { get; init; } = Guid.NewGuid().ToString();
    public ProgrammeStatus Status { get; set; } = ProgrammeStatus.Active;
    public DateOnly StartDay { get; init; }
    public DateOnly EndDay { get; init; }
    public string TimeZone { get; init; } = "Asia/Makassar";
    public string ProductCode { get; init; } = "";
    public string Office { get; set; } = "";
    public ConcurrentDictionary<string, bool> Trainees { get; } = new();
    public ConcurrentDictionary<string, Role> Staff { get; } = new();
}

/// <summary>
/// Participants' CheckEnrolment, faithful to the contract: NOT_FOUND for an unknown programme;
/// never fails for a trainee who is not enrolled; resolves a person by id or identity subject and
/// says what role they play in the programme.
/// </summary>
public sealed class FakeParticipants : ParticipantsService.ParticipantsServiceBase
{
    public ConcurrentDictionary<string, FakeProgramme> Programmes { get; } = new();

    /// <summary>Identity subject → person id.</summary>
    public ConcurrentDictionary<string, string> Subjects { get; } = new();

    public int Calls;

    /// <summary>Served by <see cref="FakeParticipantsInternal"/> (ParticipantsInternalService).</summary>
    public Task<CheckEnrolmentResponse> CheckEnrolment(CheckEnrolmentRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref Calls);
        if (!Programmes.TryGetValue(request.ProgrammeId, out var programme))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"programme '{request.ProgrammeId}' was not found"));
        }
        var personId = !string.IsNullOrEmpty(request.PersonId) ? request.PersonId
            : !string.IsNullOrEmpty(request.Subject) && Subjects.TryGetValue(request.Subject, out var p) ? p : "";
        var role = personId == "" ? Role.Unspecified
            : programme.Staff.TryGetValue(personId, out var staffRole) ? staffRole
            : programme.Trainees.TryGetValue(personId, out var active) && active ? Role.Trainee
            : Role.Unspecified;
        var enrolled = !string.IsNullOrEmpty(request.TraineeId) && programme.Trainees.TryGetValue(request.TraineeId, out var isActive) && isActive;
        return Task.FromResult(new CheckEnrolmentResponse
        {
            ProgrammeId = programme.ProgrammeId,
            ProgrammeStatus = programme.Status,
            Enrolled = enrolled,
            EnrolmentId = enrolled ? $"enrolment-{request.TraineeId}" : "",
            EnrolmentSequence = enrolled ? 1 : 0,
            StartDay = new Google.Type.Date { Year = programme.StartDay.Year, Month = programme.StartDay.Month, Day = programme.StartDay.Day },
            EndDay = new Google.Type.Date { Year = programme.EndDay.Year, Month = programme.EndDay.Month, Day = programme.EndDay.Day },
            TimeZone = programme.TimeZone,
            ProductCode = programme.ProductCode,
            PersonId = personId,
            PersonRole = role,
            Office = programme.Office,
        });
    }

    /// <summary>The programme with its staff (production's notification relay reads the health experts from it).</summary>
    public override Task<Programme> GetProgramme(GetProgrammeRequest request, ServerCallContext context)
    {
        if (!Programmes.TryGetValue(request.ProgrammeId, out var programme))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"programme '{request.ProgrammeId}' was not found"));
        }
        var answer = new Programme { ProgrammeId = programme.ProgrammeId, ProductCode = programme.ProductCode, TimeZone = programme.TimeZone, Status = programme.Status };
        answer.Staff.Add(programme.Staff.Select(s => new StaffAssignment
        {
            PersonId = s.Key,
            Role = s.Value == Role.HealthExpert ? StaffRole.HealthExpert : StaffRole.Instructor,
        }));
        return Task.FromResult(answer);
    }
}

/// <summary>Participants' internal service (CheckEnrolment) over the state of <see cref="FakeParticipants"/>.</summary>
public sealed class FakeParticipantsInternal(FakeParticipants participants) : ParticipantsInternalService.ParticipantsInternalServiceBase
{
    public override Task<CheckEnrolmentResponse> CheckEnrolment(CheckEnrolmentRequest request, ServerCallContext context) =>
        participants.CheckEnrolment(request, context);
}
