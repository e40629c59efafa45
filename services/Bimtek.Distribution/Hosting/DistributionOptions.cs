namespace Bimtek.Distribution.Hosting;

/// <summary>The office that hands goods over and how its documents look (<c>Distribution:*</c>).</summary>
public sealed class DistributionOptions
{
    public const string Section = "Distribution";

    /// <summary>Office code in document numbers; numbering runs per office code and year.</summary>
    public string OfficeCode { get; set; } = "DISPERINDAGKOP-HSU";

    /// <summary>Send recipient users' accounts to the identity service through the outbox.</summary>
    public bool SendAccountChanges { get; set; }

    /// <summary>Tell recipients of their handovers through the notifications service (outbox).</summary>
    public bool SendNotifications { get; set; }

    /// <summary>The office's full name, printed for PIHAK PERTAMA.</summary>
    public string OfficeName { get; set; } = "Dinas Perindustrian, Perdagangan, Koperasi dan UKM Kabupaten Hulu Sungai Utara";

    /// <summary>The government the office belongs to, printed in the document's letterhead.</summary>
    public string Government { get; set; } = "Pemerintah Kabupaten Hulu Sungai Utara";

    /// <summary>See <see cref="Domain.DocumentNumberFormat"/>.</summary>
    public string DocumentNumberFormat { get; set; } = Domain.DocumentNumberFormat.Default;

    /// <summary>Folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian: fonts-dejavu-core).</summary>
    public string FontDirectory { get; set; } = "/usr/share/fonts/truetype/dejavu";
}
