using System.Globalization;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Bimtek.Distribution.Documents;

/// <summary>
/// Draws the berita acara serah terima (handover document) of one handover as an A4 PDF in Indonesian:
/// letterhead, title and number, the day and place, PIHAK PERTAMA (the office's giver) and PIHAK KEDUA (the
/// recipient's receiver), the goods table (the programme by its title and code, the goods by their catalogue
/// name with the code set small), closing words and both signature blocks. Long content flows onto further
/// pages; the closing words and the two signature blocks are kept together on one page (moved whole to the
/// next page when they do not fit), so the document can always be signed. With more than one page every page
/// says "Halaman i dari n" and the document number. A cancelled handover's document says so in red with the
/// reason.
/// </summary>
internal sealed class HandoverDocumentRenderer(IOptions<DistributionOptions> options)
{
    private const double Margin = 56;
    private const double Top = 48;
    private const double Bottom = 842 - 64; // A4 is 842 points tall; the last 64 hold the margin and the page footer
    private const double SignatureRoom = 58; // between the agency and the name: the signature and the stamp

    public byte[] Render(HandoverRow handover)
    {
        var office = options.Value;
        var fonts = new DejaVuFontResolver(office.FontDirectory);
        var missing = fonts.MissingFiles();
        if (missing.Count > 0)
        {
            throw new DependencyUnavailableException("fonts", new FontFileMissingException(missing[0]).Message);
        }
        DejaVuFontResolver.InstallGlobally(office.FontDirectory);

        using var document = new PdfDocument();
        document.Info.Title = $"Berita Acara Serah Terima {handover.DocumentNumber}";
        document.Info.Author = office.OfficeName;
        document.Info.Subject = $"Serah terima {handover.Units} unit {ProductText(handover)} kepada {handover.RecipientName}";
        using (var flow = new PdfFlow(document, Margin, Top, Bottom))
        {
            Draw(flow, handover, office);
        }
        NumberPages(document, handover);
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static void Draw(PdfFlow page, HandoverRow h, DistributionOptions office)
    {
        var regular = new XFont(DejaVuFontResolver.FamilyName, 10);
        var small = new XFont(DejaVuFontResolver.FamilyName, 8);
        var bold = new XFont(DejaVuFontResolver.FamilyName, 10, XFontStyleEx.Bold);
        var heading = new XFont(DejaVuFontResolver.FamilyName, 12, XFontStyleEx.Bold);
        var title = new XFont(DejaVuFontResolver.FamilyName, 13, XFontStyleEx.Bold);
        var day = CalendarDays.Parse(h.Day);

        // Letterhead.
        page.Centered(office.Government.ToUpperInvariant(), heading);
        page.Centered(office.OfficeName.ToUpperInvariant(), heading);
        page.Space(4);
        page.Rule(1.5);
        page.Space(14);

        page.Centered("BERITA ACARA SERAH TERIMA BARANG", title);
        page.Centered($"Nomor: {h.DocumentNumber}", regular);
        if (h.State == HandoverState.Cancelled)
        {
            var cancelledOn = h.CancelledAt is { } cancelledAt ? " pada " + IndonesianText.LongDate(DateOnly.FromDateTime(Instants.FromUnixMs(cancelledAt).UtcDateTime)) : "";
            page.Space(4);
            page.Centered($"DIBATALKAN{cancelledOn}. Alasan: {h.CancellationReason}", bold, XBrushes.Red);
        }
        page.Space(14);

        page.Paragraph(
            $"Pada hari ini {IndonesianText.DayName(day.DayOfWeek)}, tanggal {IndonesianText.LongDate(day)}, bertempat di {h.Place}, " +
            "kami yang bertanda tangan di bawah ini:", regular);
        page.Space(6);
        Party(page, "1.", h.GiverName, h.GiverPosition, office.OfficeName, "PIHAK PERTAMA", regular);
        page.Space(6);
        Party(page, "2.", h.ReceiverName, h.ReceiverPosition, h.RecipientName, "PIHAK KEDUA", regular);
        page.Space(8);

        page.Paragraph(
            "PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA, dan PIHAK KEDUA menerima dari PIHAK PERTAMA, barang hasil kegiatan " +
            "bimbingan teknis (Bimtek) dengan rincian sebagai berikut:", regular);
        page.Space(8);

        var w = page.Width;
        double[] widths = [28, (w - 28) * 0.36, (w - 28) * 0.40, (w - 28) * 0.24];
        var units = h.Units.ToString(CultureInfo.InvariantCulture);
        IReadOnlyList<TextRun>[] header =
            [[new("No", bold)], [new("Kegiatan (Bimtek)", bold)], [new("Nama Barang", bold)], [new("Jumlah", bold)]];
        IReadOnlyList<TextRun>[] row =
        [
            [new("1", regular)],
            ProgrammeCell(h, regular, small),
            ProductCell(h, regular, small),
            [new($"{units} unit", regular), new($"({IndonesianText.InWords(h.Units)} unit)", regular)],
        ];
        // The header never ends a page on its own: it moves with the row under it.
        page.KeepTogether(page.RowHeight(widths, header) + page.RowHeight(widths, row));
        page.TableRow(widths, header, centre: true);
        page.TableRow(widths, row);
        page.Space(8);

        if (!string.IsNullOrWhiteSpace(h.Note))
        {
            page.Paragraph($"Catatan: {h.Note}", regular);
            page.Space(6);
        }
        page.Paragraph(
            "Sejak berita acara ini ditandatangani, barang tersebut menjadi tanggung jawab PIHAK KEDUA untuk disalurkan kepada " +
            "masyarakat sebagaimana mestinya.", regular);
        page.Space(4);

        // The closing words and both signatures stay on one page.
        const string closing = "Demikian berita acara serah terima ini dibuat dengan sebenarnya dalam rangkap 2 (dua), masing-masing mempunyai " +
            "kekuatan hukum yang sama, untuk dipergunakan sebagaimana mestinya.";
        const double beforeSignatures = 22;
        var closingHeight = page.LineCount(closing, regular, page.Width) * PdfFlow.LineHeight(regular);
        var signatures = SignaturesHeight(page, h, office, regular, bold);
        page.KeepTogether(Math.Min(closingHeight + beforeSignatures + signatures, page.PageHeight));
        page.Paragraph(closing, regular);
        page.Space(beforeSignatures);
        page.KeepTogether(signatures);
        Signatures(page, h, office, regular, bold);
    }

    private static void Party(PdfFlow page, string number, string name, string position, string agency, string party, XFont regular)
    {
        const double indent = 18;
        const double labelWidth = 60;
        page.KeepTogether(PdfFlow.LineHeight(regular) * 4);
        page.Paragraph(number, regular);
        page.Space(-PdfFlow.LineHeight(regular));
        page.LabelValue("Nama", name, regular, indent, labelWidth);
        page.LabelValue("Jabatan", position, regular, indent, labelWidth);
        page.LabelValue("Instansi", agency, regular, indent, labelWidth);
        page.Paragraph($"Dalam hal ini bertindak untuk dan atas nama {agency}, selanjutnya disebut {party}.", regular, indent);
    }

    private static double ColumnWidth(PdfFlow page) => (page.Width / 2) - 10;

    /// <summary>Lines from the top of the signature blocks to the line of the names (both names sit on one line).</summary>
    private static int LinesAboveNames(PdfFlow page, HandoverRow h, DistributionOptions office, XFont regular) =>
        2 + Math.Max(page.LineCount(h.RecipientName, regular, ColumnWidth(page)), page.LineCount(office.OfficeName, regular, ColumnWidth(page)));

    private static double SignaturesHeight(PdfFlow page, HandoverRow h, DistributionOptions office, XFont regular, XFont bold)
    {
        var column = ColumnWidth(page);
        int Below(string name, string position) =>
            page.LineCount($"( {name} )", bold, column) + page.LineCount(position, regular, column);
        return (LinesAboveNames(page, h, office, regular) * PdfFlow.LineHeight(regular)) + SignatureRoom
            + (Math.Max(Below(h.ReceiverName, h.ReceiverPosition), Below(h.GiverName, h.GiverPosition)) * PdfFlow.LineHeight(regular));
    }

    private static void Signatures(PdfFlow page, HandoverRow h, DistributionOptions office, XFont regular, XFont bold)
    {
        var middle = page.Left + (page.Width / 2);
        var top = page.Y;
        var nameY = top + (LinesAboveNames(page, h, office, regular) * PdfFlow.LineHeight(regular)) + SignatureRoom;
        // Indonesian letters put the receiving party on the left and the giving party on the right.
        var leftBottom = SignatureBlock(page, page.Left, middle - 10, top, nameY, "PIHAK KEDUA", "Yang Menerima,", h.RecipientName,
            h.ReceiverName, h.ReceiverPosition, regular, bold);
        var rightBottom = SignatureBlock(page, middle + 10, page.Right, top, nameY, "PIHAK PERTAMA", "Yang Menyerahkan,", office.OfficeName,
            h.GiverName, h.GiverPosition, regular, bold);
        page.Space(Math.Max(leftBottom, rightBottom) - page.Y);
    }

    private static double SignatureBlock(PdfFlow page, double from, double to, double top, double nameY, string party, string role,
        string agency, string name, string position, XFont regular, XFont bold)
    {
        page.Space(top - page.Y);
        page.Centered(party, bold, from, to);
        page.Centered(role, regular, from, to);
        page.Centered(agency, regular, from, to);
        page.Space(nameY - page.Y);
        page.Centered($"( {name} )", bold, from, to);
        page.Centered(position, regular, from, to);
        return page.Y;
    }

    /// <summary>"Halaman i dari n" and the document number at the foot of every page of a document longer than one page.</summary>
    private static void NumberPages(PdfDocument document, HandoverRow h)
    {
        if (document.PageCount < 2)
        {
            return;
        }
        var small = new XFont(DejaVuFontResolver.FamilyName, 8);
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var text = $"Halaman {i + 1} dari {document.PageCount} — Nomor: {h.DocumentNumber}";
            var width = graphics.MeasureString(text, small).Width;
            graphics.DrawString(text, small, XBrushes.Black, new XPoint((page.Width.Point - width) / 2, page.Height.Point - 40), XStringFormats.TopLeft);
        }
    }

    /// <summary>The programme by its title with its code under it; the id only for a handover that learned neither.</summary>
    private static IReadOnlyList<TextRun> ProgrammeCell(HandoverRow h, XFont regular, XFont small)
    {
        var runs = new List<TextRun>
        {
            new(string.IsNullOrWhiteSpace(h.ProgrammeTitle) ? $"Program {h.ProgrammeId}" : h.ProgrammeTitle, regular),
        };
        if (!string.IsNullOrWhiteSpace(h.ProgrammeCode))
        {
            runs.Add(new TextRun($"({h.ProgrammeCode})", small));
        }
        return runs;
    }

    /// <summary>The goods by their catalogue name with the code set small under it.</summary>
    private static IReadOnlyList<TextRun> ProductCell(HandoverRow h, XFont regular, XFont small) =>
        string.IsNullOrWhiteSpace(h.ProductName)
            ? [new TextRun(h.ProductCode, regular)]
            : [new TextRun(h.ProductName, regular), new TextRun($"({h.ProductCode})", small)];

    private static string ProductText(HandoverRow h) =>
        string.IsNullOrWhiteSpace(h.ProductName) ? h.ProductCode : $"{h.ProductName} ({h.ProductCode})";
}
