namespace Bimtek.Materials.Domain;

/// <summary>Every reason code this service answers with (<c>ErrorInfo.reason</c>) besides the suite's common ones.</summary>
public static class Reasons
{
    /// <summary>A location holds less of a material than the movement, kit or consumption needs; each short material is a violation, and nothing was moved.</summary>
    public const string InsufficientStock = "INSUFFICIENT_STOCK";

    /// <summary>The product has no bill of materials yet, so kits cannot be planned nor output consumed for it.</summary>
    public const string NoBillOfMaterials = "NO_BILL_OF_MATERIALS";

    /// <summary>Another material already has this code (codes are unique).</summary>
    public const string MaterialCodeTaken = "MATERIAL_CODE_TAKEN";

    /// <summary>Another product already has this code (codes are unique).</summary>
    public const string ProductCodeTaken = "PRODUCT_CODE_TAKEN";

    /// <summary>The output report was already consumed with a different trainee, programme, product or units.</summary>
    public const string ReportIdReused = "REPORT_ID_REUSED";

    /// <summary>The location is of the wrong kind for this movement (receipts and kits start at a warehouse or office, returns leave a trainee home).</summary>
    public const string WrongLocationKind = "WRONG_LOCATION_KIND";

    /// <summary>A quantity beyond the stock ledger's range (1e12 base units); kept for its published meaning, such quantities now answer <c>VALUE_OUT_OF_RANGE</c> on their field.</summary>
    public const string QuantityOutOfRange = "QUANTITY_OUT_OF_RANGE";
}
