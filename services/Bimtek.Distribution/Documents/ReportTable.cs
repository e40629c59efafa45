using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Bimtek.Distribution.Documents;

/// <summary>One cell of a report: text, a whole number, or empty (a figure not known).</summary>
internal readonly record struct ReportCell(string? Text, long? Number)
{
    public static ReportCell Empty => new(null, null);

    public static implicit operator ReportCell(string text) => new(text, null);

    public static implicit operator ReportCell(long number) => new(null, number);
}

/// <summary>
/// A report for officials as a header and rows, written as CSV or as an Excel workbook. Offices open both in
/// Excel, so both are safe there: in CSV every text field is quoted (a name with <c>;</c> or <c>,</c> stays one
/// cell whatever the reader's list separator, <c>;</c> in Indonesian Excel) and text a spreadsheet would run as a
/// formula (starting with <c>= + - @</c>, tab or carriage return) gets a leading apostrophe; in the workbook
/// text is always a text cell, never a formula, and such text carries Excel's quote prefix as well, so it stays
/// text even when the cell is edited.
/// </summary>
internal sealed class ReportTable(params string[] header)
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private readonly List<ReportCell[]> _rows = [];

    public IReadOnlyList<string> Header { get; } = header;

    public void Row(params ReportCell[] cells)
    {
        if (cells.Length != Header.Count)
        {
            throw new ArgumentException($"A row of {cells.Length} cells under a header of {Header.Count}.", nameof(cells));
        }
        _rows.Add(cells);
    }

    /// <summary>Whether a spreadsheet would take the text as the start of a formula.</summary>
    public static bool LooksLikeFormula(string text) => text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal);

    /// <summary>RFC 4180 CSV in UTF-8 with CRLF line ends; every text field quoted, numbers bare.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Header.Select(Quote)).Append("\r\n");
        foreach (var row in _rows)
        {
            csv.AppendJoin(',', row.Select(cell => cell switch
            {
                { Number: { } number } => number.ToString(CultureInfo.InvariantCulture),
                { Text: { } text } => Quote(LooksLikeFormula(text) ? "'" + text : text),
                _ => "",
            })).Append("\r\n");
        }
        return csv.ToString();
    }

    /// <summary>An Excel workbook with one sheet: the header in bold, then the rows (numbers as numbers).</summary>
    public byte[] ToXlsx(string sheetName)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Styles();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(XlsxRow(1, Header.Select(h => (ReportCell)h), HeaderStyle));
            var index = 1u;
            foreach (var row in _rows)
            {
                data.Append(XlsxRow(++index, row, PlainStyle));
            }
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName }));
        }
        return stream.ToArray();
    }

    private const uint PlainStyle = 0;
    private const uint HeaderStyle = 1;
    private const uint QuotedTextStyle = 2;

    private static Row XlsxRow(uint index, IEnumerable<ReportCell> cells, uint textStyle)
    {
        var row = new Row { RowIndex = index };
        var column = 0;
        foreach (var cell in cells)
        {
            var reference = ColumnName(column++) + index.ToString(CultureInfo.InvariantCulture);
            row.Append(cell switch
            {
                { Number: { } number } => new Cell
                {
                    CellReference = reference,
                    DataType = CellValues.Number,
                    CellValue = new CellValue(number.ToString(CultureInfo.InvariantCulture)),
                },
                { Text: { } text } => new Cell(new InlineString(new Text(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve }))
                {
                    CellReference = reference,
                    DataType = CellValues.InlineString,
                    StyleIndex = LooksLikeFormula(text) ? QuotedTextStyle : textStyle,
                },
                _ => new Cell { CellReference = reference },
            });
        }
        return row;
    }

    /// <summary>Default, bold (the header) and quote-prefixed text (cellXfs 0, 1, 2); fills 0 and 1 are the ones Excel requires.</summary>
    private static Stylesheet Styles()
    {
        var fonts = new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }))
        { Count = 2 };
        var fills = new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 }))
        { Count = 2 };
        var formats = new CellFormats(
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 },
            new CellFormat { NumberFormatId = 0, FontId = 1, FillId = 0, BorderId = 0, ApplyFont = true },
            new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, QuotePrefix = true })
        { Count = 3 };
        return new Stylesheet(fonts, fills, new Borders(new Border()) { Count = 1 }, formats);
    }

    private static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26)
        {
            name = (char)('A' + ((index - 1) % 26)) + name;
        }
        return name;
    }

    /// <summary>XML 1.0 cannot hold most control characters: they become U+FFFD.</summary>
    private static string XmlSafe(string text) =>
        text.Any(c => !XmlConvertIsValid(c)) ? string.Concat(text.Select(c => XmlConvertIsValid(c) ? c : '\uFFFD')) : text;

    private static bool XmlConvertIsValid(char c) => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF');

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
