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

    /// <summary>
    /// The same in one setting, for deployments that set environment variables from a file (compose's <c>.env</c>,
    /// a ConfigMap): <c>DISPERIN-KALSEL=DISPERINDAGKOP-HSU,DISPERINDAG-HST</c>, provinces separated by <c>;</c>.
    /// Added to <see cref="Provinces"/>.
    /// </summary>
    public string ProvinceDistricts { get; set; } = "";

    /// <summary><see cref="Provinces"/> and <see cref="ProvinceDistricts"/> together; throws <see cref="FormatException"/> for a malformed list.</summary>
    public Dictionary<string, List<string>> AllProvinces()
    {
        var all = Provinces.ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal);
        foreach (var entry in ProvinceDistricts.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            var districts = parts.Length == 2 ? parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            if (parts[0].Length == 0 || districts.Length == 0)
            {
                throw new FormatException($"Offices:ProvinceDistricts: '{entry}' is not PROVINCE=DISTRICT,DISTRICT.");
            }
            var list = all.TryGetValue(parts[0], out var known) ? known : all[parts[0]] = [];
            list.AddRange(districts.Where(d => !list.Contains(d, StringComparer.Ordinal)));
        }
        return all;
    }
}
