namespace Bimtek.ServiceDefaults.Offices;

/// <summary>
/// Which office sees which records, as a rule without I/O:
/// <list type="bullet">
/// <item>an empty office is the deployment's default office (records and callers from before offices);</item>
/// <item>an office sees its own records;</item>
/// <item>a province also sees the records of its districts (from configuration), a district never its province's
/// or another district's.</item>
/// </list>
/// </summary>
public sealed class OfficeScope(string defaultOffice, IReadOnlyDictionary<string, IReadOnlyList<string>> provinces)
{
    public OfficeScope(OfficeOptions options)
        : this(options.Default, options.AllProvinces().ToDictionary(p => p.Key, p => (IReadOnlyList<string>)[.. p.Value], StringComparer.Ordinal))
    {
    }

    public string DefaultOffice { get; } = string.IsNullOrWhiteSpace(defaultOffice)
        ? throw new ArgumentException("Offices:Default must name an office.", nameof(defaultOffice))
        : defaultOffice.Trim();

    /// <summary>The office a record or caller belongs to: the one it names, else the default office.</summary>
    public string Resolve(string? office) => string.IsNullOrWhiteSpace(office) ? DefaultOffice : office.Trim();

    /// <summary>Whether a caller of <paramref name="callerOffice"/> sees and changes a record of <paramref name="recordOffice"/>.</summary>
    public bool Covers(string? callerOffice, string? recordOffice)
    {
        var caller = Resolve(callerOffice);
        var record = Resolve(recordOffice);
        return caller == record || (provinces.TryGetValue(caller, out var districts) && districts.Contains(record, StringComparer.Ordinal));
    }

    /// <summary>Every office a caller of <paramref name="callerOffice"/> sees: its own, and a province's districts.</summary>
    public IReadOnlyList<string> Visible(string? callerOffice)
    {
        var caller = Resolve(callerOffice);
        return provinces.TryGetValue(caller, out var districts) ? [caller, .. districts.Where(d => d != caller)] : [caller];
    }
}
