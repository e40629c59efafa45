using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Materials.Domain;

/// <summary>A material a location lacks: what was needed and what is there.</summary>
public sealed record ShortageLine(string MaterialId, string MaterialCode, long Required, long Available)
{
    public long Shortfall => Required - Available;
}

/// <summary>
/// FAILED_PRECONDITION naming each short material: one PreconditionFailure violation per
/// material (type "STOCK", subject the material id, the code and shortfall in the description).
/// </summary>
public static class ShortageError
{
    public static PreconditionException Create(string locationId, IReadOnlyList<ShortageLine> shortages)
    {
        var violations = shortages
            .Select(s => new PreconditionViolation(
                "STOCK",
                s.MaterialId,
                $"{s.MaterialCode}: short by {s.Shortfall} (needs {s.Required}, location {locationId} holds {s.Available})"))
            .ToList();
        var message = $"Not enough stock at location {locationId}: " +
            string.Join(", ", shortages.Select(s => $"{s.MaterialCode} short by {s.Shortfall}")) + ". Nothing was moved.";
        var exception = new PreconditionException(Reasons.InsufficientStock, message, violations);
        exception.Metadata["location_id"] = locationId;
        return exception;
    }
}
