using QRCoder;

namespace Bimtek.Identity.Api;

/// <summary>The printable QR card of a sign-in link (PNG, black on white, readable by any phone camera).</summary>
internal static class QrCards
{
    public static byte[] Png(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }
}
