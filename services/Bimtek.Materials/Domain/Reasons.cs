namespace Bimtek.Materials.Domain;

/// <summary>Every reason code this service answers with (<c>ErrorInfo.reason</c>) besides the suite's common ones.</summary>
public static class Reasons
{
    public const string InsufficientStock = "INSUFFICIENT_STOCK";
    public const string NoBillOfMaterials = "NO_BILL_OF_MATERIALS";
    public const string MaterialCodeTaken = "MATERIAL_CODE_TAKEN";
    public const string ProductCodeTaken = "PRODUCT_CODE_TAKEN";
    public const string ReportIdReused = "REPORT_ID_REUSED";
    public const string WrongLocationKind = "WRONG_LOCATION_KIND";
    public const string QuantityOutOfRange = "QUANTITY_OUT_OF_RANGE";
}
