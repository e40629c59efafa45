using System.Collections.Concurrent;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.ServiceDefaults.Offices;

/// <summary>
/// Each programme's office as participants records it, for a service that only learns offices (materials, distribution,
/// the coordinator): the service asks participants (its <c>CheckEnrolment</c>, with the service's own identity) in
/// <see cref="AskAsync"/>, and this keeps each answer, because a programme's office never changes (up to
/// <see cref="MaxKept"/> programmes). An unknown programme is not kept (it may be created a moment later).
/// </summary>
public abstract class ParticipantsProgrammeOffices : IProgrammeOffices
{
    public const int MaxKept = 100_000;
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);

    public bool AnswersForUnknownProgrammes => false;

    /// <summary>The programme's office from participants; throws participants' NOT_FOUND or INVALID_ARGUMENT for an unknown one.</summary>
    protected abstract Task<string> AskAsync(string programmeId, CancellationToken cancellationToken);

    public async ValueTask<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(programmeId, out var known))
        {
            return known;
        }
        try
        {
            var office = await AskAsync(programmeId, cancellationToken);
            if (_known.Count < MaxKept)
            {
                _known[programmeId] = office;
            }
            return office;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            return null;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            throw new DependencyUnavailableException("participants", "The participants service is unavailable to tell the programme's office. Retry with the same request_id.");
        }
    }
}
