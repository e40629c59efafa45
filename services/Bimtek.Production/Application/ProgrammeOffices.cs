using System.Collections.Concurrent;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Grpc.Core;

namespace Bimtek.Production.Application;

/// <summary>
/// Each programme's office as participants records it (its CheckEnrolment answer, asked with production's own
/// identity), for the office check of operators' and integrators' requests. A programme's office never changes, so
/// each answer is kept (up to <see cref="MaxKept"/> programmes).
/// </summary>
internal sealed class ProgrammeOffices(ParticipantsInternalService.ParticipantsInternalServiceClient participants) : IProgrammeOffices
{
    private const int MaxKept = 100_000;
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);

    public async ValueTask<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(programmeId, out var known))
        {
            return known;
        }
        try
        {
            var answer = await participants.CheckEnrolmentAsync(new CheckEnrolmentRequest { ProgrammeId = programmeId }, cancellationToken: cancellationToken);
            if (_known.Count < MaxKept)
            {
                _known[programmeId] = answer.Office;
            }
            return answer.Office;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return null; // the handler answers for a programme that does not exist
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            throw new DependencyUnavailableException("participants", "The participants service is unavailable. Retry with the same request_id.");
        }
    }
}
