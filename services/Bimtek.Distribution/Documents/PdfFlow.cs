using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Bimtek.Distribution.Documents;

/// <summary>One run of text in a table cell: its words and the font they are set in (a product code is set small).</summary>
internal sealed record TextRun(string Text, XFont Font);

/// <summary>
/// A top-to-bottom writer that flows onto further A4 pages: wrapped paragraphs (split between lines where a page
/// ends), centred lines, label/value rows and boxed table rows (a row moves whole to the next page), with a
/// running vertical position. <see cref="KeepTogether"/> moves a block that must not be split (the signatures)
/// whole to a new page when it does not fit on this one.
/// </summary>
internal sealed class PdfFlow : IDisposable
{
    private const double LineSpacing = 1.35;
    private const double CellPadding = 4;

    private readonly PdfDocument _document;
    private readonly double _top;
    private readonly double _bottom;
    private XGraphics _graphics;

    public PdfFlow(PdfDocument document, double margin, double top, double bottom)
    {
        _document = document;
        _top = top;
        _bottom = bottom;
        var page = AddPage();
        Left = margin;
        Right = page.Width.Point - margin;
        _graphics = XGraphics.FromPdfPage(page);
        Y = top;
    }

    public double Y { get; private set; }

    public double Left { get; }

    public double Right { get; }

    public double Width => Right - Left;

    /// <summary>Room left on this page.</summary>
    public double Room => _bottom - Y;

    /// <summary>The height a full page offers.</summary>
    public double PageHeight => _bottom - _top;

    public static double LineHeight(XFont font) => font.Size * LineSpacing;

    /// <summary>Moves down; a space never starts a new page (the next line does, when it needs to).</summary>
    public void Space(double points) => Y = Math.Min(Y + points, _bottom);

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    public void KeepTogether(double height)
    {
        if (Y + height > _bottom && Y > _top)
        {
            NewPage();
        }
    }

    public void Centered(string text, XFont font, XBrush? brush = null) => Centered(text, font, Left, Right, brush);

    public void Centered(string text, XFont font, double from, double to, XBrush? brush = null)
    {
        foreach (var line in Wrap(text, font, to - from))
        {
            KeepTogether(LineHeight(font));
            var width = _graphics.MeasureString(line, font).Width;
            _graphics.DrawString(line, font, brush ?? XBrushes.Black, new XPoint(from + ((to - from - width) / 2), Y), XStringFormats.TopLeft);
            Y += LineHeight(font);
        }
    }

    public void Paragraph(string text, XFont font, double indent = 0, XBrush? brush = null)
    {
        foreach (var line in Wrap(text, font, Width - indent))
        {
            KeepTogether(LineHeight(font));
            _graphics.DrawString(line, font, brush ?? XBrushes.Black, new XPoint(Left + indent, Y), XStringFormats.TopLeft);
            Y += LineHeight(font);
        }
    }

    /// <summary>"Nama      : value", the value wrapped in its own column (the label stays with the value's first line).</summary>
    public void LabelValue(string label, string value, XFont font, double indent, double labelWidth)
    {
        KeepTogether(LineHeight(font));
        _graphics.DrawString(label, font, XBrushes.Black, new XPoint(Left + indent, Y), XStringFormats.TopLeft);
        _graphics.DrawString(":", font, XBrushes.Black, new XPoint(Left + indent + labelWidth, Y), XStringFormats.TopLeft);
        var valueLeft = Left + indent + labelWidth + 10;
        foreach (var line in Wrap(value, font, Right - valueLeft))
        {
            KeepTogether(LineHeight(font));
            _graphics.DrawString(line, font, XBrushes.Black, new XPoint(valueLeft, Y), XStringFormats.TopLeft);
            Y += LineHeight(font);
        }
    }

    /// <summary>The height of a table row: its tallest cell.</summary>
    public double RowHeight(IReadOnlyList<double> widths, IReadOnlyList<IReadOnlyList<TextRun>> cells) =>
        cells.Select((cell, i) => CellLines(cell, widths[i]).Sum(l => LineHeight(l.Font))).Max() + (2 * CellPadding);

    /// <summary>A row of boxed cells, as tall as its tallest cell; a row that does not fit moves whole to the next page.</summary>
    public void TableRow(IReadOnlyList<double> widths, IReadOnlyList<IReadOnlyList<TextRun>> cells, bool centre = false)
    {
        var height = RowHeight(widths, cells);
        KeepTogether(height);
        var x = Left;
        for (var i = 0; i < cells.Count; i++)
        {
            _graphics.DrawRectangle(XPens.Black, x, Y, widths[i], height);
            var y = Y + CellPadding;
            foreach (var (line, font) in CellLines(cells[i], widths[i]))
            {
                var lineX = centre ? x + ((widths[i] - _graphics.MeasureString(line, font).Width) / 2) : x + CellPadding;
                _graphics.DrawString(line, font, XBrushes.Black, new XPoint(lineX, y), XStringFormats.TopLeft);
                y += LineHeight(font);
            }
            x += widths[i];
        }
        Y += height;
    }

    public void Rule(double thickness = 1)
    {
        _graphics.DrawLine(new XPen(XColors.Black, thickness), Left, Y, Right, Y);
        Y += thickness;
    }

    /// <summary>How many lines the text takes in a column of the given width.</summary>
    public int LineCount(string text, XFont font, double width) => Wrap(text, font, width).Count;

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

    public void Dispose() => _graphics.Dispose();

    private List<(string Line, XFont Font)> CellLines(IReadOnlyList<TextRun> cell, double width) =>
        [.. cell.SelectMany(run => Wrap(run.Text, run.Font, width - (2 * CellPadding)).Select(line => (line, run.Font)))];

    private void NewPage()
    {
        _graphics.Dispose();
        _graphics = XGraphics.FromPdfPage(AddPage());
        Y = _top;
    }

    private PdfPage AddPage()
    {
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        return page;
    }

    private bool Fits(string text, XFont font, double width) => _graphics.MeasureString(text, font).Width <= width;
}
