using System.Net;
using Bimtek.Distribution.Documents;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using UglyToad.PdfPig;
using static Bimtek.Distribution.Tests.DistributionHarness;

namespace Bimtek.Distribution.Tests;

public sealed class DocumentTests
{
    [Theory, BothDatabases]
    public async Task The_handover_document_is_a_pdf_that_names_the_number_both_parties_the_product_and_the_units(DatabaseKind kind)
    {
        await using var harness = await StartAsync(kind, "dist-document");
        var programme = NewId();
        await harness.ReceiveAsync(programme, 500);
        var bpbd = await harness.CreateBpbdAsync("bpbd-user");
        var request = Handover(programme, bpbd.RecipientId, 500);
        request.Note = "Untuk dibagikan kepada masyarakat";
        var handover = await harness.Operator.CreateHandoverAsync(request);

        using var http = harness.Host.CreateHttpClient(TestTokens.Mint("bpbd-user", "recipient"));
        using var response = await http.GetAsync($"/api/v1/handovers/{handover.HandoverId}/document");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        var text = ReadText(bytes);
        Assert.Contains("BERITA ACARA SERAH TERIMA", text);
        Assert.Contains("Nomor: 001/BAST/DISPERINDAGKOP-HSU/V/2020", text);
        Assert.Contains("Kamis, tanggal 28 Mei 2020", text);
        Assert.Contains("PIHAK PERTAMA", text);
        Assert.Contains("PIHAK KEDUA", text);
        Assert.Contains("Drs. H. Ahmad Fauzi", text);
        Assert.Contains("Kepala Dinas", text);
        Assert.Contains("Budi Santoso", text);
        Assert.Contains("Kepala Pelaksana BPBD", text);
        Assert.Contains("BPBD Kabupaten Hulu Sungai Utara", text);
        Assert.Contains("Masker kain 3 lapis sasirangan", text);
        Assert.Contains(MaskProduct, text);
        Assert.Contains("500 unit", text);
        Assert.Contains("lima ratus", text);
        Assert.Contains("Untuk dibagikan kepada masyarakat", text);
        Assert.DoesNotContain("DIBATALKAN", text);

        // The gRPC surface returns the same document; a cancelled one says so with the reason.
        await harness.Operator.CancelHandoverAsync(new CancelHandoverRequest { RequestId = NewId(), HandoverId = handover.HandoverId, Reason = "Diganti dokumen baru" });
        var body = await harness.Integrator.GetHandoverDocumentAsync(new GetHandoverDocumentRequest { HandoverId = handover.HandoverId });
        Assert.Equal("application/pdf", body.ContentType);
        var cancelled = ReadText(body.Data.ToByteArray());
        Assert.Contains("DIBATALKAN", cancelled);
        Assert.Contains("Diganti dokumen baru", cancelled);
        Assert.Contains("001/BAST/DISPERINDAGKOP-HSU/V/2020", cancelled);
    }

    [Fact]
    public async Task A_missing_font_fails_the_document_with_a_clear_error_and_shows_in_readiness()
    {
        await using var harness = await StartAsync(DatabaseKind.Sqlite, "dist-nofont",
            new Dictionary<string, string?> { ["Distribution:FontDirectory"] = "/nonexistent/fonts" });
        var programme = NewId();
        await harness.ReceiveAsync(programme, 5);
        var handover = await harness.Operator.CreateHandoverAsync(Handover(programme, (await harness.CreateBpbdAsync()).RecipientId, 5));

        var error = await FailsAsync(StatusCode.Unavailable,
            () => harness.Operator.GetHandoverDocumentAsync(new GetHandoverDocumentRequest { HandoverId = handover.HandoverId }).ResponseAsync);

        Assert.Contains("/nonexistent/fonts/DejaVuSans.ttf", error.Status.Detail);
        Assert.Contains("fonts-dejavu-core", error.Status.Detail);
        using var http = harness.Host.CreateHttpClient();
        using var ready = await http.GetAsync("/readyz");
        Assert.Contains("\"document-fonts\":{\"status\":\"Degraded\"", await ready.Content.ReadAsStringAsync());
        var missing = Assert.Throws<FontFileMissingException>(() => new DejaVuFontResolver("/nonexistent/fonts").GetFont(DejaVuFontResolver.BoldFace));
        Assert.Equal("/nonexistent/fonts/DejaVuSans-Bold.ttf", missing.FontPath);
    }

    [Fact]
    public async Task A_configured_number_format_and_office_shape_the_document_number()
    {
        await using var harness = await StartAsync(DatabaseKind.Sqlite, "dist-format", new Dictionary<string, string?>
        {
            ["Distribution:DocumentNumberFormat"] = "BAST-{office}-{year}-{month:00}-{number:0000}",
            ["Distribution:OfficeCode"] = "DISKOP-KALSEL",
        });
        var programme = NewId();
        await harness.ReceiveAsync(programme, 5);
        var handover = await harness.Operator.CreateHandoverAsync(Handover(programme, (await harness.CreateBpbdAsync()).RecipientId, 5));

        Assert.Equal("BAST-DISKOP-KALSEL-2020-05-0001", handover.DocumentNumber);
    }

    [Theory]
    [InlineData(1, "001/BAST/DISPERINDAGKOP-HSU/I/2020", 1)]
    [InlineData(42, "042/BAST/DISPERINDAGKOP-HSU/IX/2020", 9)]
    [InlineData(1234, "1234/BAST/DISPERINDAGKOP-HSU/XII/2020", 12)]
    public void The_default_format_writes_number_office_roman_month_and_year(long number, string expected, int month) =>
        Assert.Equal(expected, DocumentNumberFormat.Parse(DocumentNumberFormat.Default).Format(number, "DISPERINDAGKOP-HSU", new DateOnly(2020, month, 1)));

    [Theory]
    [InlineData("")]
    [InlineData("{office}/{year}")]
    [InlineData("{number}/{unknown}")]
    [InlineData("{number}/{office:00}")]
    [InlineData("{number}/BAST}")]
    public void A_bad_number_format_is_refused_at_start_up(string pattern) =>
        Assert.Throws<FormatException>(() => DocumentNumberFormat.Parse(pattern));

    [Theory]
    [InlineData(0, "nol")]
    [InlineData(11, "sebelas")]
    [InlineData(19, "sembilan belas")]
    [InlineData(60, "enam puluh")]
    [InlineData(100, "seratus")]
    [InlineData(500, "lima ratus")]
    [InlineData(1250, "seribu dua ratus lima puluh")]
    [InlineData(21_000, "dua puluh satu ribu")]
    [InlineData(1_000_000, "satu juta")]
    public void Numbers_are_written_in_indonesian_words(long number, string words) =>
        Assert.Equal(words, IndonesianText.InWords(number));

    private static string ReadText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        Assert.Equal(1, document.NumberOfPages);
        return string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
    }
}
