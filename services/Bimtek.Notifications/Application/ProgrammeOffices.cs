using System.Collections.Concurrent;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Grpc.Core;

namespace Bimtek.Notifications.Application;

/// <summary>
/// Each programme's office as participants records it (its CheckEnrolment answer, asked with this service's own
/// identity), for the office check of operators' requests. A programme's office never changes, so each answer is
/// kept (up to <see cref="MaxKept"/> programmes). Participants is asked only when an operator reads or resends
/// messages of a programme: events and sending never depend on it.
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
            return null; // a programme participants does not know: the handler answers (an empty list, or the record's own check)
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            throw new DependencyUnavailableException("participants", "The participants service is unavailable. Retry with the same request_id.");
        }
    }
}
