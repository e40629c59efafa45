using PdfSharp.Fonts;

namespace Bimtek.Distribution.Documents;

/// <summary>
/// PDFsharp 6 has no system font lookup on Linux: this resolver serves DejaVu Sans (regular and
/// bold) from a folder, whatever family the drawing code asks for. A missing file fails with a
/// message that says which file and how to get it.
/// </summary>
public sealed class DejaVuFontResolver(string fontDirectory) : IFontResolver
{
    public const string FamilyName = "DejaVu Sans";
    public const string RegularFace = "DejaVuSans";
    public const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lock _globalGate = new();
    private static DejaVuFontResolver? _global;

    public string FontDirectory { get; } = fontDirectory;

    /// <summary>
    /// PDFsharp takes one resolver per process, set before the first font is used; the first host
    /// to start installs it and later hosts reuse it.
    /// </summary>
    public static DejaVuFontResolver InstallGlobally(string fontDirectory)
    {
        lock (_globalGate)
        {
            if (_global is null)
            {
                _global = new DejaVuFontResolver(fontDirectory);
                GlobalFontSettings.FontResolver = _global;
            }
            return _global;
        }
    }

    public static string FileFor(string faceName) => faceName + ".ttf";

    /// <summary>The font files this resolver needs that are not in its folder.</summary>
    public IReadOnlyList<string> MissingFiles() =>
        [.. new[] { RegularFace, BoldFace }.Select(face => Path.Combine(FontDirectory, FileFor(face))).Where(path => !File.Exists(path))];

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        // Italic is simulated by PDFsharp; the document uses regular and bold only.
        new(bold ? BoldFace : RegularFace, false, italic);

    public byte[]? GetFont(string faceName)
    {
        var path = Path.Combine(FontDirectory, FileFor(faceName));
        if (!File.Exists(path))
        {
            throw new FontFileMissingException(path);
        }
        return File.ReadAllBytes(path);
    }
}

/// <summary>The handover document's font is not installed where Distribution:FontDirectory points.</summary>
public sealed class FontFileMissingException(string path) : Exception(
    $"The font file '{path}' needed for handover documents was not found. Install Debian's fonts-dejavu-core " +
    "or point Distribution:FontDirectory at a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.")
{
    public string FontPath { get; } = path;
}
