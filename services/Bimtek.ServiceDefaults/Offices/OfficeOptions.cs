namespace Bimtek.ServiceDefaults.Offices;

/// <summary>
/// The offices of a deployment (<c>Offices:*</c>), the same in every service and the gateway. An office is a short
/// code: a district office (<c>DISPERINDAGKOP-HSU</c>) or a province (<c>DISPERIN-KALSEL</c>) that supplies several districts.
/// </summary>
public sealed class OfficeOptions
{
    public const string Section = "Offices";

    /// <summary>
    /// The deployment's default office: the office of every record and caller that names none (data from before
    /// offices, API keys and accounts without one).
    /// </summary>
    public string Default { get; set; } = "DISPERINDAGKOP-HSU";

    /// <summary>Each province's district offices: <c>Offices:Provinces:DISPERIN-KALSEL:0 = DISPERINDAGKOP-HSU</c>, <c>…:1 = DISPERINDAG-HST</c>.</summary>
    public Dictionary<string, List<string>> Provinces { get; set; } = new(StringComparer.Ordinal);
}
