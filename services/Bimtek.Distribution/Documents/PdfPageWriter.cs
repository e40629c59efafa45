using PdfSharp.Drawing;

namespace Bimtek.Distribution.Documents;

/// <summary>
/// A top-to-bottom writer on one PDF page: wrapped paragraphs, centred lines, label/value rows and
/// boxed table rows, with a running vertical position. Just enough layout for a one-page letter.
/// </summary>
internal sealed class PdfPageWriter(XGraphics graphics, double left, double right, double top)
{
    private const double LineSpacing = 1.35;

    public double Y { get; private set; } = top;

    public double Left { get; } = left;

    public double Right { get; } = right;

    public double Width => Right - Left;

    public void Space(double points) => Y += points;

    public void Centered(string text, XFont font, XBrush? brush = null) => Centered(text, font, Left, Right, brush);

    public void Centered(string text, XFont font, double from, double to, XBrush? brush = null)
    {
        foreach (var line in Wrap(text, font, to - from))
        {
            var width = graphics.MeasureString(line, font).Width;
            graphics.DrawString(line, font, brush ?? XBrushes.Black, new XPoint(from + ((to - from - width) / 2), Y), XStringFormats.TopLeft);
            Y += LineHeight(font);
        }
    }

    public void Paragraph(string text, XFont font, double indent = 0, XBrush? brush = null)
    {
        foreach (var line in Wrap(text, font, Width - indent))
        {
            graphics.DrawString(line, font, brush ?? XBrushes.Black, new XPoint(Left + indent, Y), XStringFormats.TopLeft);
            Y += LineHeight(font);
        }
    }

    /// <summary>"Nama      : value", the value wrapped in its own column.</summary>
    public void LabelValue(string label, string value, XFont font, double indent, double labelWidth)
    {
        graphics.DrawString(label, font, XBrushes.Black, new XPoint(Left + indent, Y), XStringFormats.TopLeft);
        graphics.DrawString(":", font, XBrushes.Black, new XPoint(Left + indent + labelWidth, Y), XStringFormats.TopLeft);
        var valueLeft = Left + indent + labelWidth + 10;
        foreach (var line in Wrap(value, font, Right - valueLeft))
        {
            graphics.DrawString(line, font, XBrushes.Black, new XPoint(valueLeft, Y), XStringFormats.TopLeft);
            Y += LineHeight(font);
        }
    }

    /// <summary>A row of boxed cells; the row is as tall as its tallest cell.</summary>
    public void TableRow(IReadOnlyList<double> widths, IReadOnlyList<string> cells, XFont font, bool centre = false)
    {
        const double padding = 4;
        var wrapped = cells.Select((cell, i) => Wrap(cell, font, widths[i] - (2 * padding))).ToList();
        var height = (wrapped.Max(lines => lines.Count) * LineHeight(font)) + (2 * padding);
        var x = Left;
        for (var i = 0; i < cells.Count; i++)
        {
            graphics.DrawRectangle(XPens.Black, x, Y, widths[i], height);
            var y = Y + padding;
            foreach (var line in wrapped[i])
            {
                var lineX = centre ? x + ((widths[i] - graphics.MeasureString(line, font).Width) / 2) : x + padding;
                graphics.DrawString(line, font, XBrushes.Black, new XPoint(lineX, y), XStringFormats.TopLeft);
                y += LineHeight(font);
            }
            x += widths[i];
        }
        Y += height;
    }

    public void Rule(double thickness = 1)
    {
        graphics.DrawLine(new XPen(XColors.Black, thickness), Left, Y, Right, Y);
        Y += thickness;
    }

    public static double LineHeight(XFont font) => font.Size * LineSpacing;

    /// <summary>Greedy word wrap; a word wider than the column is broken between characters.</summary>
    public List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Fits(candidate, font, width))
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                {
                    lines.Add(line);
                }
                line = word;
                while (!Fits(line, font, width) && line.Length > 1)
                {
                    var cut = line.Length - 1;
                    while (cut > 1 && !Fits(line[..cut], font, width))
                    {
                        cut--;
                    }
                    lines.Add(line[..cut]);
                    line = line[cut..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    private bool Fits(string text, XFont font, double width) => graphics.MeasureString(text, font).Width <= width;
}
