using Bimtek.Common.V1;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Production.Application;

/// <summary>What participants says about a programme, a trainee and the caller, for one request.</summary>
internal sealed record ProgrammeFacts(
    string ProgrammeId,
    ProgrammeStatus Status,
    bool TraineeEnrolled,
    DateOnly StartDay,
    DateOnly EndDay,
    string TimeZone,
    string ProductCode,
    string PersonId,
    Role PersonRole)
{
    public bool PersonIsStaff => PersonRole is Role.Instructor or Role.HealthExpert;

    public bool ContainsDay(DateOnly day) => day >= StartDay && day <= EndDay;

    public IEnumerable<DateOnly> Days()
    {
        for (var day = StartDay; day <= EndDay; day = day.AddDays(1))
        {
            yield return day;
        }
    }
}

/// <summary>
/// The synchronous checks production makes against participants (CheckEnrolment). They are made
/// with production's own service identity (CallIdentity.Service): participants' CheckEnrolment is
/// an internal RPC a trainee or instructor may not call, so production verifies the caller itself
/// by passing the caller's token subject and comparing the person and role participants resolves.
/// </summary>
internal sealed class ProgrammeDirectory(ParticipantsInternalService.ParticipantsInternalServiceClient participants, IProgrammeOffices offices, OfficeScope officeScope)
{
    public async Task<ProgrammeFacts> CheckAsync(
        Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken, string personId = "")
    {
        CheckEnrolmentResponse response;
        try
        {
            var request = new CheckEnrolmentRequest { ProgrammeId = programmeId, TraineeId = traineeId };
            if (!string.IsNullOrEmpty(personId))
            {
                request.PersonId = personId;
            }
            else
            {
                request.Subject = caller.Subject;
            }
            response = await participants.CheckEnrolmentAsync(request, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            // A caller who may not see the programme learns nothing about whether it exists.
            throw caller.IsPrivileged ? new NotFoundException("programme", programmeId) : new PermissionDeniedException();
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            throw new DependencyUnavailableException("participants", "The participants service is unavailable. Retry with the same request_id.");
        }
        return new ProgrammeFacts(
            response.ProgrammeId,
            response.ProgrammeStatus,
            response.Enrolled,
            ToDay(response.StartDay),
            ToDay(response.EndDay),
            string.IsNullOrEmpty(response.TimeZone) ? "Asia/Makassar" : response.TimeZone,
            response.ProductCode,
            response.PersonId,
            response.PersonRole);
    }

    /// <summary>
    /// Read access to one trainee's output in a programme: operators, integrators and services;
    /// the programme's instructors and health experts; the trainee themself. PERMISSION_DENIED otherwise.
    /// </summary>
    public async Task<ProgrammeFacts?> EnsureCanReadAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken)
    {
        if (caller.IsPrivileged)
        {
            await EnsureOfficeAsync(caller, programmeId, cancellationToken);
            return null;
        }
        var facts = await CheckAsync(caller, programmeId, "", cancellationToken);
        if (facts.PersonIsStaff && caller.IsAny(Roles.Instructor, Roles.HealthExpert))
        {
            return facts;
        }
        if (!string.IsNullOrEmpty(traineeId) && caller.Is(Roles.Trainee) && facts.PersonId == traineeId)
        {
            return facts;
        }
        throw new PermissionDeniedException();
    }

    /// <summary>
    /// Operators and integrators act for their office's programmes only (a province's also for its districts'): a
    /// record found by its own id is checked here against its programme's office; PERMISSION_DENIED otherwise.
    /// </summary>
    public async Task EnsureOfficeAsync(Caller caller, string programmeId, CancellationToken cancellationToken)
    {
        if (caller.IsOfficeScoped && await offices.OfficeOfAsync(programmeId, cancellationToken) is { } office && !officeScope.Covers(caller.Office, office))
        {
            throw new PermissionDeniedException("The programme belongs to another office.");
        }
    }

    private static DateOnly ToDay(Google.Type.Date? date) =>
        date is not null && RequestValidator.TryToDateOnly(date, out var day) ? day : DateOnly.MinValue;

    /// <summary>
    /// The person acting as inspector or health expert: the caller (by token subject), or for an
    /// operator/service the person named in the request.
    /// </summary>
    public async Task<ProgrammeFacts> ResolveStaffAsync(Caller caller, string programmeId, string personId, CancellationToken cancellationToken)
    {
        if (caller.IsAny(Roles.Operator, Roles.Service))
        {
            if (string.IsNullOrEmpty(personId))
            {
                throw new ValidationException("inspector_id", "is required when an operator records for a staff member");
            }
            return await CheckAsync(caller, programmeId, "", cancellationToken, personId);
        }
        if (!caller.IsAny(Roles.Instructor, Roles.HealthExpert))
        {
            throw new PermissionDeniedException();
        }
        var facts = await CheckAsync(caller, programmeId, "", cancellationToken);
        if (!string.IsNullOrEmpty(personId) && personId != facts.PersonId)
        {
            throw new PermissionDeniedException("Staff record inspections in their own name.");
        }
        return facts;
    }
}
