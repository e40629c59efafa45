using System.Net;
using System.Text;
using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

/// <summary>
/// Reports for officials open safely in Excel whatever its list separator (issue 21): the CSV quotes every text
/// field and neutralises formula-like text, and the same report comes as an .xlsx whose text cells are never
/// formulas. Both are read back here.
/// </summary>
public sealed class SpreadsheetReportTests
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly string[] _names =
    [
        "BPBD; Kabupaten Hulu Sungai Utara",
        "=HYPERLINK(\"http://contoh.test\";\"klik\")",
        "+62 Puskesmas Amuntai",
        "-Desa Sungai Karias",
        "@Sekolah Dasar, Amuntai",
    ];

    [Theory, BothDatabases]
    public async Task Csv_quotes_every_text_field_and_xlsx_keeps_text_as_text_both_with_formulas_neutralised(DatabaseKind kind)
    {
        await using var catalogue = await FakeCatalogue.StartAsync();
        await using var harness = await StartAsync(kind, "dist-spreadsheets", catalogue: catalogue);
        var programme = NewId();
        catalogue.AddProgramme(programme, "BIMTEK-MASKER-2020", "Bimtek masker; tahap 1, Amuntai");
        catalogue.Products[MaskProduct] = "Masker kain 3 lapis sasirangan";
        await harness.ReceiveAsync(programme, 100);
        foreach (var name in _names)
        {
            var recipient = await harness.CreateRecipientAsync(name, RecipientKind.Other);
            await harness.Operator.CreateHandoverAsync(Handover(programme, recipient.RecipientId, 10));
        }
        using var http = harness.Host.CreateHttpClient(TestTokens.Mint("integrator-1", "integrator"));

        // CSV: 13 fields on every line with ',' as separator; read with ';' (Indonesian Excel) no ';' splits a cell.
        using var csvResponse = await http.GetAsync($"/api/v1/distribution/reports/recipients/csv?programmeId={programme}");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        var lines = (await csvResponse.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(_names.Length + 1, lines.Length);
        foreach (var line in lines)
        {
            Assert.Equal(13, Fields(line, ',').Count);
            Assert.Single(Fields(line, ';'));
        }
        var csvNames = lines.Skip(1).Select(l => Fields(l, ',')[1]).ToList();
        Assert.Contains("BPBD; Kabupaten Hulu Sungai Utara", csvNames);
        Assert.Contains("'=HYPERLINK(\"http://contoh.test\";\"klik\")", csvNames);
        Assert.Contains("'+62 Puskesmas Amuntai", csvNames);
        Assert.Contains("'-Desa Sungai Karias", csvNames);
        Assert.Contains("'@Sekolah Dasar, Amuntai", csvNames);
        var first = Fields(lines[1], ',');
        Assert.Equal(["BIMTEK-MASKER-2020", "Bimtek masker; tahap 1, Amuntai", MaskProduct, "Masker kain 3 lapis sasirangan", "10"],
            first.Skip(4).Take(5));
        Assert.StartsWith("\"", lines[1]); // the id is text too
        Assert.EndsWith(",10,0,10,0,1", lines[1]); // figures stay numbers

        // XLSX: the same rows; text cells (never formulas), formula-like text quote-prefixed, figures as numbers.
        using var xlsxResponse = await http.GetAsync($"/api/v1/distribution/reports/recipients/xlsx?programmeId={programme}");
        Assert.Equal(HttpStatusCode.OK, xlsxResponse.StatusCode);
        Assert.Equal(XlsxType, xlsxResponse.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".xlsx", xlsxResponse.Content.Headers.ContentDisposition?.ToString() ?? xlsxResponse.Headers.ToString());
        var sheet = Workbook.Read(await xlsxResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(lines.Length, sheet.Rows.Count);
        Assert.Equal(Fields(lines[0], ','), sheet.Rows[0].Select(c => c.Text));
        Assert.Equal(0, sheet.Formulas);
        foreach (var row in sheet.Rows.Skip(1))
        {
            var name = row[1];
            Assert.Contains(name.Text, _names);
            Assert.Equal(ReportTableLooksLikeFormula(name.Text), name.QuotePrefix);
            Assert.False(name.Number);
            Assert.Equal(("10", true), (row[8].Text, row[8].Number));
            Assert.Equal("Bimtek masker; tahap 1, Amuntai", row[5].Text);
        }

        // The programme report too, as a workbook.
        using var flow = await http.GetAsync($"/api/v1/distribution/reports/programmes/{programme}/xlsx");
        Assert.Equal(XlsxType, flow.Content.Headers.ContentType!.MediaType);
        var flowSheet = Workbook.Read(await flow.Content.ReadAsByteArrayAsync());
        var product = flowSheet.Rows[1];
        Assert.Equal(["BIMTEK-MASKER-2020", "Bimtek masker; tahap 1, Amuntai", MaskProduct, "Masker kain 3 lapis sasirangan"],
            product.Skip(1).Take(4).Select(c => c.Text));
        Assert.Equal(("", false), (product[5].Text, product[5].Number)); // produced: not known, left empty
        Assert.Equal(("100", true), (product[6].Text, product[6].Number));
        Assert.Equal(("50", true), (product[7].Text, product[7].Number)); // 5 × 10 handed over
        Assert.Equal(("50", true), (product[11].Text, product[11].Number)); // still available
    }

    private static bool ReportTableLooksLikeFormula(string text) => text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal);

    /// <summary>RFC 4180 fields of one line with the given separator (quotes hold separators and doubled quotes).</summary>
    private static List<string> Fields(string line, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }

    private sealed record SheetCell(string Text, bool Number, bool QuotePrefix);

    /// <summary>The first sheet of a workbook read back with the Open XML SDK.</summary>
    private sealed record Workbook(List<List<SheetCell>> Rows, int Formulas)
    {
        public static Workbook Read(byte[] xlsx)
        {
            using var stream = new MemoryStream(xlsx);
            using var document = SpreadsheetDocument.Open(stream, false);
            var part = document.WorkbookPart!;
            var sheet = part.Workbook.Descendants<Sheet>().First();
            var worksheet = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet;
            var formats = part.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
            var shared = part.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
            var rows = worksheet.Descendants<Row>().Select(row => row.Elements<Cell>().Select(cell =>
            {
                var type = cell.DataType?.Value;
                var text = type == CellValues.InlineString ? cell.InlineString!.InnerText
                    : type == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
                    : cell.CellValue?.Text ?? "";
                var number = cell.CellValue is not null && (type is null || type == CellValues.Number);
                var quotePrefix = cell.StyleIndex is { } style && formats[(int)style.Value].QuotePrefix?.Value == true;
                return new SheetCell(text, number, quotePrefix);
            }).ToList()).ToList();
            return new Workbook(rows, worksheet.Descendants<CellFormula>().Count());
        }
    }
}
