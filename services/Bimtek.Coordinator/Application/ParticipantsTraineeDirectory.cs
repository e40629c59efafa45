using Bimtek.Participants.V1;
using Grpc.Core;

namespace Bimtek.Coordinator.Application;

/// <summary>
/// Who a signed-in trainee is. A token carries the person's login subject, while quota records are keyed
/// by participants' person id, so participants (which owns both) resolves one to the other.
/// </summary>
public interface ITraineeDirectory
{
    /// <summary>True when <paramref name="subject"/> is the person <paramref name="traineeId"/>, actively enrolled as a trainee.</summary>
    Task<bool> IsTraineeAsync(string programmeId, string traineeId, string subject, CancellationToken cancellationToken);
}

internal sealed class ParticipantsTraineeDirectory(IServiceProvider services) : ITraineeDirectory
{
    public async Task<bool> IsTraineeAsync(string programmeId, string traineeId, string subject, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await services.GetRequiredService<ParticipantsInternalService.ParticipantsInternalServiceClient>().CheckEnrolmentAsync(
                new CheckEnrolmentRequest { ProgrammeId = programmeId, Subject = subject }, cancellationToken: cancellationToken);
            return answer.PersonId == traineeId && answer.PersonRole == Bimtek.Common.V1.Role.Trainee;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            // An unknown programme: nobody is its trainee, and the caller learns no more than from a refusal.
            return false;
        }
    }
}
