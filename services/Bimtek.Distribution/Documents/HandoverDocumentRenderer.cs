using System.Globalization;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Microsoft.Extensions.Options;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Bimtek.Distribution.Documents;

/// <summary>
/// Draws the berita acara serah terima (handover document) of one handover as a one-page A4 PDF
/// in Indonesian: letterhead, title and number, the day and place, PIHAK PERTAMA (the office's
/// giver) and PIHAK KEDUA (the recipient's receiver), the goods table, closing words and both
/// signature blocks. A cancelled handover's document says so in red with the reason.
/// </summary>
internal sealed class HandoverDocumentRenderer(IOptions<DistributionOptions> options)
{
    private const double Margin = 56;

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
        var page = document.AddPage();
        page.Size = PageSize.A4;
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            Draw(new PdfPageWriter(graphics, Margin, page.Width.Point - Margin, 48), handover, office);
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static void Draw(PdfPageWriter page, HandoverRow h, DistributionOptions office)
    {
        var regular = new XFont(DejaVuFontResolver.FamilyName, 10);
        var bold = new XFont(DejaVuFontResolver.FamilyName, 10, XFontStyleEx.Bold);
        var heading = new XFont(DejaVuFontResolver.FamilyName, 12, XFontStyleEx.Bold);
        var title = new XFont(DejaVuFontResolver.FamilyName, 13, XFontStyleEx.Bold);
        var day = Iso.ParseDay(h.Day);

        // Letterhead.
        page.Centered(office.Government.ToUpperInvariant(), heading);
        page.Centered(office.OfficeName.ToUpperInvariant(), heading);
        page.Space(4);
        page.Rule(1.5);
        page.Space(14);

        page.Centered("BERITA ACARA SERAH TERIMA BARANG", title);
        page.Centered($"Nomor: {h.DocumentNumber}", regular);
        if (h.Status == HandoverStore.Cancelled)
        {
            var cancelledOn = h.CancelledAt is null ? "" : " pada " + IndonesianText.LongDate(DateOnly.FromDateTime(Iso.ToTimestamp(h.CancelledAt).ToDateTime()));
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
        page.TableRow(widths, ["No", "Kegiatan (Bimtek)", "Nama Barang", "Jumlah"], bold, centre: true);
        var units = h.Units.ToString(CultureInfo.InvariantCulture);
        page.TableRow(widths,
            ["1", ProgrammeText(h), ProductCell(h), $"{units} unit\n({IndonesianText.InWords(h.Units)} unit)"], regular);
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
        page.Paragraph(
            "Demikian berita acara serah terima ini dibuat dengan sebenarnya dalam rangkap 2 (dua), masing-masing mempunyai " +
            "kekuatan hukum yang sama, untuk dipergunakan sebagaimana mestinya.", regular);
        page.Space(22);

        Signatures(page, h, office, regular, bold);
    }

    private static void Party(PdfPageWriter page, string number, string name, string position, string agency, string party, XFont regular)
    {
        const double indent = 18;
        const double labelWidth = 60;
        page.Paragraph(number, regular);
        page.Space(-PdfPageWriter.LineHeight(regular));
        page.LabelValue("Nama", name, regular, indent, labelWidth);
        page.LabelValue("Jabatan", position, regular, indent, labelWidth);
        page.LabelValue("Instansi", agency, regular, indent, labelWidth);
        page.Paragraph($"Dalam hal ini bertindak untuk dan atas nama {agency}, selanjutnya disebut {party}.", regular, indent);
    }

    private static void Signatures(PdfPageWriter page, HandoverRow h, DistributionOptions office, XFont regular, XFont bold)
    {
        var middle = page.Left + (page.Width / 2);
        var top = page.Y;
        // Both names sit on one line whatever the length of the agencies' names.
        var agencyLines = Math.Max(page.Wrap(h.RecipientName, regular, (page.Width / 2) - 10).Count,
            page.Wrap(office.OfficeName, regular, (page.Width / 2) - 10).Count);
        var nameY = top + ((2 + agencyLines) * PdfPageWriter.LineHeight(regular)) + 58; // room for the signature and stamp
        // Indonesian letters put the receiving party on the left and the giving party on the right.
        var leftBottom = SignatureBlock(page, page.Left, middle - 10, top, nameY, "PIHAK KEDUA", "Yang Menerima,", h.RecipientName,
            h.ReceiverName, h.ReceiverPosition, regular, bold);
        var rightBottom = SignatureBlock(page, middle + 10, page.Right, top, nameY, "PIHAK PERTAMA", "Yang Menyerahkan,", office.OfficeName,
            h.GiverName, h.GiverPosition, regular, bold);
        page.Space(Math.Max(leftBottom, rightBottom) - page.Y);
    }

    private static double SignatureBlock(PdfPageWriter page, double from, double to, double top, double nameY, string party, string role,
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

    private static string ProgrammeText(HandoverRow h) =>
        string.IsNullOrWhiteSpace(h.ProgrammeTitle) ? $"Program {h.ProgrammeId}" : h.ProgrammeTitle;

    private static string ProductCell(HandoverRow h) =>
        string.IsNullOrWhiteSpace(h.ProductName) ? h.ProductCode : $"{h.ProductName}\n({h.ProductCode})";

    private static string ProductText(HandoverRow h) =>
        string.IsNullOrWhiteSpace(h.ProductName) ? h.ProductCode : $"{h.ProductName} ({h.ProductCode})";
}
