using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Materials.Domain;

/// <summary>
/// Which kind of location stock may leave and reach by each movement. A trainee home receives kits and transfers and
/// gives stock back only by a return (or consumption); receipts from the province and kits start at a warehouse or an
/// office. A refusal is FAILED_PRECONDITION, reason WRONG_LOCATION_KIND, naming the field.
/// </summary>
public static class LocationRules
{
    public static void EnsureKitSource(bool isTraineeHome) =>
        Refuse(isTraineeHome, "source_location_id", "Kits are sent from a warehouse or office.");

    public static void EnsureReceiptDestination(bool isTraineeHome) =>
        Refuse(isTraineeHome, "location_id", "Receipts from the province go to a warehouse or office, not a trainee home.");

    public static void EnsureTransferSource(bool isTraineeHome) =>
        Refuse(isTraineeHome, "from_location_id", "Stock leaves a trainee home by ReturnStock or consumption, not by transfer.");

    public static void EnsureReturn(bool fromTraineeHome, bool toTraineeHome)
    {
        Refuse(!fromTraineeHome, "from_location_id", "Returns come from a trainee home.");
        Refuse(toTraineeHome, "to_location_id", "Returns go to a warehouse or office.");
    }

    private static void Refuse(bool refused, string field, string message)
    {
        if (refused)
        {
            var exception = new PreconditionException(Reasons.WrongLocationKind, message);
            exception.Metadata["field"] = field;
            throw exception;
        }
    }
}
