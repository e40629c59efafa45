using Bimtek.Materials.V1;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Materials.Application;

/// <summary>
/// The sign-in subject of each trainee a kit plan names without one, asked of participants (its <c>CheckEnrolment</c>,
/// which resolves the person). A trainee reads their own home's stock, kit and yield by that subject
/// (<see cref="Api.Access.IsOwnHome"/>), and the operators and integrators who plan kits do not know people's subjects:
/// without it the field app's kit table answered a trainee PERMISSION_DENIED. A materials service given no participants
/// address (a host of materials alone) keeps what the plan says; a person participants does not know, or without a
/// subject, gets none; participants unreachable is UNAVAILABLE, nothing stored.
/// </summary>
internal sealed class TraineeSubjects(IServiceProvider services, IConfiguration configuration)
{
    public async Task<IReadOnlyDictionary<string, string>> OfAsync(string programmeId, IEnumerable<TraineeQuota> quotas,
        CancellationToken cancellationToken)
    {
        var unnamed = quotas.Where(q => q.TraineeSubject.Length == 0).Select(q => q.TraineeId).Distinct(StringComparer.Ordinal).ToList();
        if (unnamed.Count == 0 || !ServiceClientExtensions.HasAddress(configuration, "participants"))
        {
            return new Dictionary<string, string>();
        }
        var participants = services.GetRequiredService<ParticipantsInternalService.ParticipantsInternalServiceClient>();
        var subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var traineeId in unnamed)
            {
                var check = await participants.CheckEnrolmentAsync(
                    new CheckEnrolmentRequest { ProgrammeId = programmeId, PersonId = traineeId }, cancellationToken: cancellationToken);
                if (check.PersonSubject.Length > 0)
                {
                    subjects[traineeId] = check.PersonSubject;
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            // A programme participants does not know: the plan keeps the subjects it was given.
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            throw new DependencyUnavailableException("participants",
                "The participants service is unavailable to tell the trainees' sign-in subjects. Retry with the same request_id.");
        }
        return subjects;
    }
}
