using System.Buffers.Binary;
using System.Text;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>
/// A real phone-camera-like JPEG: drawn and encoded by the browser (a canvas), then given an EXIF segment with GPS
/// coordinates (2°25'12" S, 115°15' E: Amuntai, Hulu Sungai Utara) — what a family phone's camera writes into a photo
/// of a minor's home, and what the suite must strip.
/// </summary>
public static class GpsJpeg
{
    private static readonly byte[] _exifHeader = "Exif\0\0"u8.ToArray();

    public static async Task<byte[]> CreateAsync(IPage page)
    {
        var base64 = await page.EvaluateAsync<string>("""
            async () => {
              const canvas = document.createElement('canvas');
              canvas.width = 640; canvas.height = 480;
              const g = canvas.getContext('2d');
              g.fillStyle = '#0b5d4b'; g.fillRect(0, 0, 640, 480);
              g.fillStyle = '#f0b428'; g.fillRect(200, 100, 240, 280);
              const blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/jpeg', 0.9));
              const bytes = new Uint8Array(await blob.arrayBuffer());
              let text = '';
              for (const b of bytes) { text += String.fromCharCode(b); }
              return btoa(text);
            }
            """);
        return WithGps(Convert.FromBase64String(base64));
    }

    /// <summary>Whether the bytes carry an EXIF segment (the "Exif\0\0" APP1 header) anywhere.</summary>
    public static bool HasExif(ReadOnlySpan<byte> bytes) => bytes.IndexOf(_exifHeader) >= 0;

    /// <summary>Inserts an APP1 EXIF segment (IFD0 → GPS IFD: latitude and longitude with their refs) after SOI.</summary>
    public static byte[] WithGps(byte[] jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("not a JPEG", nameof(jpeg));
        }
        var tiff = new byte[128];
        var t = tiff.AsSpan();
        Encoding.ASCII.GetBytes("II").CopyTo(t);
        BinaryPrimitives.WriteUInt16LittleEndian(t[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(t[4..], 8);
        // IFD0: one entry, the GPS IFD pointer.
        BinaryPrimitives.WriteUInt16LittleEndian(t[8..], 1);
        Entry(t[10..], 0x8825, 4, 1, 26);
        BinaryPrimitives.WriteUInt32LittleEndian(t[22..], 0);
        // GPS IFD at 26: four entries; rationals at 80 (latitude) and 104 (longitude).
        BinaryPrimitives.WriteUInt16LittleEndian(t[26..], 4);
        Entry(t[28..], 0x0001, 2, 2, 'S');
        Entry(t[40..], 0x0002, 5, 3, 80);
        Entry(t[52..], 0x0003, 2, 2, 'E');
        Entry(t[64..], 0x0004, 5, 3, 104);
        BinaryPrimitives.WriteUInt32LittleEndian(t[76..], 0);
        Rationals(t[80..], 2, 25, 12);
        Rationals(t[104..], 115, 15, 0);

        var segmentLength = 2 + _exifHeader.Length + tiff.Length;
        using var output = new MemoryStream();
        output.Write(jpeg, 0, 2);
        output.Write([0xFF, 0xE1, (byte)(segmentLength >> 8), (byte)segmentLength]);
        output.Write(_exifHeader);
        output.Write(tiff);
        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    private static void Entry(Span<byte> at, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(at[8..], value);
    }

    private static void Rationals(Span<byte> at, uint degrees, uint minutes, uint seconds)
    {
        uint[] values = [degrees, 1, minutes, 1, seconds, 1];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(at[(i * 4)..], values[i]);
        }
    }
}
