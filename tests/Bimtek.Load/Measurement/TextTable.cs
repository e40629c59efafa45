using System.Globalization;
using System.Text;

namespace Bimtek.Load.Measurement;

/// <summary>A table printed aligned on the console and as Markdown in BENCHMARKS.md.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public TextTable Add(params object[] cells)
    {
        _rows.Add([.. cells.Select(Format)]);
        return this;
    }

    public static string Format(object cell) => cell switch
    {
        double d when double.IsNaN(d) || double.IsInfinity(d) => "n/a",
        double d when Math.Abs(d) >= 100 => d.ToString("0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 10 => d.ToString("0.0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.00", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    public string ToText()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            text.AppendLine(string.Join("  ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        }
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", headers) + " |");
        text.AppendLine("|" + string.Join("|", headers.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }
        return text.ToString();
    }

    /// <summary>The usual per-operation table of a <see cref="Recorder"/>.</summary>
    public static TextTable Of(IEnumerable<OperationSummary> summaries)
    {
        var table = new TextTable("operation", "ok", "failed", "ok/s", "p50 ms", "p95 ms", "p99 ms", "errors by status");
        foreach (var s in summaries)
        {
            table.Add(s.Operation, s.Ok, s.Failed, s.PerSecond, s.P50, s.P95, s.P99, s.ErrorText);
        }
        return table;
    }
}
