using Bimtek.Coordinator.Abstractions;
using Bimtek.Coordinator.Grains.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Coordinator.Api;

/// <summary>A grain's answer to a change (an effect, an override, a pace check) as the suite's errors.</summary>
internal static class EffectOutcomes
{
    /// <summary>Returns when the change was applied, already applied or superseded; otherwise throws its error.</summary>
    public static void ThrowIfRefused(EffectResult result, string programmeId)
    {
        switch (result.Outcome)
        {
            case EffectOutcome.Applied or EffectOutcome.Duplicate or EffectOutcome.Superseded:
                return;
            case EffectOutcome.ProgrammeNotFound:
                throw new NotFoundException("programme", programmeId);
            case EffectOutcome.RequestIdReused:
                throw new ValidationException("request_id", "was already used for a different request", ErrorReasons.RequestIdReused);
            default:
                throw new PreconditionException(result.Reason ?? Reasons.Refused, result.Message ?? "The change is not allowed now.");
        }
    }
}
