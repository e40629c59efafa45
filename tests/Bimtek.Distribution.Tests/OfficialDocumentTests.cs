using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Bimtek.Common.V1;
using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using UglyToad.PdfPig;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

/// <summary>
/// The berita acara as an official files it (issue 21): the programme by its title and code and the goods by
/// their catalogue name, learned from participants and materials when the request leaves them out; long content
/// flows onto a second page and the signature block is never split or cut. The PDF is read back with poppler's
/// pdftotext, as an official's viewer would extract it.
/// </summary>
public sealed partial class OfficialDocumentTests
{
    private const string MaskTitle = "Bimtek pembuatan masker kain 3 lapis berbasis sasirangan";
    private const string MaskCode = "BIMTEK-MASKER-2020";
    private const string MaskName = "Masker kain 3 lapis sasirangan";

    [Theory, BothDatabases]
    public async Task A_handover_made_without_descriptive_fields_names_the_programme_and_goods_as_participants_and_materials_do(DatabaseKind kind)
    {
        await using var catalogue = await FakeCatalogue.StartAsync();
        await using var harness = await StartAsync(kind, "dist-names", catalogue: catalogue);
        var programme = NewId();
        catalogue.AddProgramme(programme, MaskCode, MaskTitle);
        catalogue.Products[MaskProduct] = MaskName;
        await harness.ReceiveAsync(programme, 500);
        var bpbd = await harness.CreateBpbdAsync();

        var request = Handover(programme, bpbd.RecipientId, 500);
        request.ProgrammeTitle = "";
        request.ProductName = "";
        var handover = await harness.Operator.CreateHandoverAsync(request);

        Assert.Equal((MaskTitle, MaskCode, MaskName), (handover.ProgrammeTitle, handover.ProgrammeCode, handover.ProductName));
        var pdf = await DocumentAsync(harness, handover.HandoverId);
        var pages = PdfText.Pages(pdf);
        var text = Flat(Assert.Single(pages));
        Assert.Contains(MaskTitle, text);
        Assert.Contains($"({MaskCode})", text);
        Assert.Contains(MaskName, text);
        Assert.Contains($"({MaskProduct})", text);
        Assert.DoesNotContain(programme, text);
        File.WriteAllBytes(Path.Combine(AppContext.BaseDirectory, "berita-acara.pdf"), pdf); // the README's page image is drawn from this

        // The product code is set small under the name.
        using (var document = PdfDocument.Open(pdf))
        {
            var words = document.GetPage(1).GetWords().ToList();
            var codeSize = words.Single(w => w.Text == $"({MaskProduct})").Letters[1].PointSize;
            var nameSize = words.First(w => w.Text == "sasirangan").Letters[0].PointSize;
            Assert.True(codeSize < nameSize, $"code {codeSize} pt, name {nameSize} pt");
        }

        // The reports name them too (learned names, no new question), and the request's own words win on the document.
        var calls = catalogue.Calls;
        var flow = await harness.Integrator.GetProgrammeFlowReportAsync(new GetProgrammeFlowReportRequest { ProgrammeId = programme });
        Assert.Equal((MaskCode, MaskTitle, MaskName), (flow.ProgrammeCode, flow.ProgrammeTitle, Assert.Single(flow.Products).ProductName));
        var rows = await harness.Integrator.GetRecipientReportAsync(new GetRecipientReportRequest { ProgrammeId = programme });
        Assert.Equal((MaskCode, MaskTitle, MaskName), (rows.Rows[0].ProgrammeCode, rows.Rows[0].ProgrammeTitle, rows.Rows[0].ProductName));
        Assert.Equal(calls, catalogue.Calls);
    }

    [Fact]
    public async Task Names_learned_before_stand_in_while_participants_and_materials_are_down_and_nothing_is_written_without_them()
    {
        await using var catalogue = await FakeCatalogue.StartAsync();
        await using var harness = await StartAsync(DatabaseKind.Sqlite, "dist-names-down", catalogue: catalogue);
        var known = NewId();
        var unknown = NewId();
        var never = NewId();
        catalogue.AddProgramme(known, MaskCode, MaskTitle);
        catalogue.Products[MaskProduct] = MaskName;
        await harness.ReceiveAsync(known, 10);
        await harness.ReceiveAsync(unknown, 10);
        await harness.ReceiveAsync(never, 10);
        var bpbd = await harness.CreateBpbdAsync();
        await harness.Operator.CreateHandoverAsync(Request(known, 1));

        // A programme participants does not know: NOT_FOUND, nothing taken.
        var missing = await FailsAsync(StatusCode.NotFound, () => harness.Operator.CreateHandoverAsync(Request(unknown, 5)).ResponseAsync);
        Assert.Contains(unknown, missing.Status.Detail);
        Assert.Equal(10, (await harness.GoodsAsync(unknown))!.AvailableUnits);

        catalogue.Down = true;
        var second = await harness.Operator.CreateHandoverAsync(Request(known, 2));
        Assert.Equal((MaskTitle, MaskCode, MaskName), (second.ProgrammeTitle, second.ProgrammeCode, second.ProductName));
        await FailsAsync(StatusCode.Unavailable, () => harness.Operator.CreateHandoverAsync(Request(never, 5)).ResponseAsync);
        Assert.Equal(10, (await harness.GoodsAsync(never))!.AvailableUnits);

        CreateHandoverRequest Request(string programmeId, int units)
        {
            var request = Handover(programmeId, bpbd.RecipientId, units);
            request.ProgrammeTitle = "";
            request.ProductName = "";
            return request;
        }
    }

    [Theory, BothDatabases]
    public async Task With_every_field_at_its_maximum_the_document_flows_onto_a_second_page_and_the_signatures_stay_together(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-long-document");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 1_000_000);
        var recipient = await harness.CreateRecipientAsync(Fill("Badan Penanggulangan Bencana Daerah Kabupaten Hulu Sungai Utara", 200),
            RecipientKind.DisasterManagementAgency);
        var request = Handover(programme, recipient.RecipientId, 1_000_000);
        request.ProgrammeTitle = Fill(MaskTitle, 300);
        request.ProductName = Fill(MaskName, 200);
        request.Place = Fill("Aula Kantor Disperindagkop-UKM Kabupaten Hulu Sungai Utara, Jalan Basuki Rahmat, Amuntai", 300);
        request.Giver = new Signatory { Name = Fill("Drs. H. Ahmad Fauzi Rahman", 200), Position = Fill("Kepala Dinas Perindustrian Perdagangan", 200) };
        request.Receiver = new Signatory { Name = Fill("Budi Santoso Wibowo", 200), Position = Fill("Kepala Pelaksana Harian BPBD", 200) };
        request.Note = Fill("Barang diserahkan dalam keadaan baik dan lengkap sesuai daftar.", 1000);
        var handover = await harness.Operator.CreateHandoverAsync(request);

        var pdf = await DocumentAsync(harness, handover.HandoverId);
        var pages = PdfText.Pages(pdf).Select(Flat).ToList();

        Assert.True(pages.Count >= 2, $"expected the long document on more than one page, got {pages.Count}");
        // Text that flows over a page end reads on after the page's footer.
        var all = Flat(string.Join(" ", pages.Select(p => Footer().Replace(p, " "))));
        Assert.Contains(request.ProgrammeTitle.Trim(), all);
        Assert.Contains(request.ProductName.Trim(), all);
        Assert.Contains(request.Note.Trim(), all);
        // Both signature blocks, whole, on one page: parties, agencies, names in brackets, positions.
        var signed = Assert.Single(pages, p => p.Contains("Yang Menerima,", StringComparison.Ordinal));
        Assert.Contains("Yang Menyerahkan,", signed);
        Assert.Contains($"( {request.Giver.Name.Trim()} )", signed);
        Assert.Contains($"( {request.Receiver.Name.Trim()} )", signed);
        Assert.Contains(request.Giver.Position.Trim(), signed);
        Assert.Contains(request.Receiver.Position.Trim(), signed);
        Assert.Contains(recipient.Name, signed);
        Assert.Contains("Demikian berita acara serah terima ini dibuat", signed);
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Halaman {i + 1} dari {pages.Count}", pages[i]);
        }
        // Nothing is cut: every letter lies inside its page, above the footer's line.
        using var document = PdfDocument.Open(pdf);
        foreach (var page in document.GetPages())
        {
            var outside = page.Letters.Where(l => l.BoundingBox.Bottom < 20 || l.BoundingBox.Top > page.Height
                || l.BoundingBox.Left < 0 || l.BoundingBox.Right > page.Width).Select(l => l.Value).ToList();
            Assert.True(outside.Count == 0, $"page {page.Number}: {outside.Count} letters outside the page ({string.Concat(outside.Take(40))})");
        }
    }

    private static async Task<byte[]> DocumentAsync(DistributionHarness harness, string handoverId)
    {
        using var http = harness.Host.CreateHttpClient(TestTokens.Operator());
        using var response = await http.GetAsync($"/api/v1/handovers/{handoverId}/document");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Words of <paramref name="text"/> repeated up to exactly <paramref name="length"/> characters (no trailing space).</summary>
    private static string Fill(string text, int length)
    {
        var filled = text;
        while (filled.Length < length)
        {
            filled += " " + text;
        }
        filled = filled[..length];
        return filled.EndsWith(' ') ? filled[..^1] + "a" : filled;
    }

    /// <summary>Text with every run of whitespace (line ends of wrapped lines too) as one space.</summary>
    private static string Flat(string text) => Whitespace().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@" ?Halaman \d+ dari \d+ — Nomor: \S+ ?")]
    private static partial Regex Footer();
}

/// <summary>poppler's pdftotext, page by page, in the order the text was drawn (-raw: each signature block stays whole).</summary>
internal static class PdfText
{
    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bimtek-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            using var document = PdfDocument.Open(pdf);
            return [.. Enumerable.Range(1, document.NumberOfPages).Select(page => Run(file, page))];
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Run(string file, int page)
    {
        var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-raw", "-enc", "UTF-8", "-f", $"{page}", "-l", $"{page}", file, "-" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftotext (poppler-utils) did not start");
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"pdftotext failed: {process.StandardError.ReadToEnd()}");
        return text;
    }
}
