using System.Globalization;

namespace Bimtek.Notifications.Domain;

/// <summary>
/// The texts of every message, in Indonesian (the default) and English. A template names its arguments in braces;
/// an argument missing from a message renders empty. <c>{count}</c> is the number of items a batched message
/// holds. Dates and times are written in the programme's time zone by the planner, not here.
/// </summary>
public static class Templates
{
    public const string BehindSchedule = "behind_schedule";
    public const string HomeVisitBooked = "home_visit_booked";
    public const string HomeVisitMoved = "home_visit_moved";
    public const string HomeVisitCancelled = "home_visit_cancelled";
    public const string KitDispatched = "kit_dispatched";
    public const string OutputRejected = "output_rejected";
    public const string OutputRework = "output_rework";
    public const string PpeSignOffBatch = "ppe_sign_off_batch";
    public const string HandoverCreated = "handover_created";
    public const string SignInCode = "sign_in_code";
    public const string Invitation = "invitation";

    private static readonly Dictionary<string, (string Indonesian, string English)> _texts = new()
    {
        [BehindSchedule] = (
            "Bimtek: {trainee} tertinggal dari jadwal pada {day}: baru {made} dari {expected} unit. Butuh bantuan? Minta kunjungan instruktur di aplikasi.",
            "Bimtek: {trainee} is behind schedule on {day}: {made} of {expected} units made. Need help? Ask for an instructor's visit in the app."),
        [HomeVisitBooked] = (
            "Bimtek: kunjungan rumah untuk {trainee} dijadwalkan {when} di {village}.",
            "Bimtek: a home visit for {trainee} is booked for {when} in {village}."),
        [HomeVisitMoved] = (
            "Bimtek: kunjungan rumah untuk {trainee} dipindah ke {when} di {village}.{because}",
            "Bimtek: the home visit for {trainee} has moved to {when} in {village}.{because}"),
        [HomeVisitCancelled] = (
            "Bimtek: kunjungan rumah untuk {trainee} pada {when} di {village} dibatalkan.{because}",
            "Bimtek: the home visit for {trainee} on {when} in {village} is cancelled.{because}"),
        [KitDispatched] = (
            "Bimtek: kit bahan {product} untuk {trainee} sudah dikirim ke rumah.",
            "Bimtek: the {product} kit for {trainee} has been dispatched to their home."),
        [OutputRejected] = (
            "Bimtek: laporan hasil {trainee} ({units} unit) ditolak. Alasan: {reason}",
            "Bimtek: the output report of {trainee} ({units} units) was rejected. Reason: {reason}"),
        [OutputRework] = (
            "Bimtek: laporan hasil {trainee} ({units} unit) perlu diperbaiki. Alasan: {reason}",
            "Bimtek: the output report of {trainee} ({units} units) was sent back for rework. Reason: {reason}"),
        [PpeSignOffBatch] = (
            "Bimtek: {count} pemeriksaan APD menunggu persetujuan Anda sebagai ahli kesehatan.",
            "Bimtek: {count} PPE inspection(s) wait for your sign-off as health expert."),
        [HandoverCreated] = (
            "Bimtek: serah terima {units} {product} untuk {recipient} siap. Nomor berita acara: {document}.",
            "Bimtek: the handover of {units} {product} to {recipient} is ready. Document number: {document}."),
        [SignInCode] = (
            "Bimtek: kode masuk Anda {code} (berlaku sampai {expires}). {url}",
            "Bimtek: your sign-in code is {code} (valid until {expires}). {url}"),
        [Invitation] = (
            "Bimtek: Anda diundang untuk membuat kata sandi akun Anda: {url} (berlaku sampai {expires}).",
            "Bimtek: you are invited to set your account's password: {url} (valid until {expires})."),
    };

    public static IReadOnlyCollection<string> Names => _texts.Keys;

    /// <summary>E-mail subject lines.</summary>
    public static string Subject(string template, MessageLanguage language) => (template, language) switch
    {
        (SignInCode, MessageLanguage.English) => "Your Bimtek sign-in code",
        (SignInCode, _) => "Kode masuk Bimtek",
        (Invitation, MessageLanguage.English) => "Your Bimtek account",
        (Invitation, _) => "Akun Bimtek Anda",
        (_, MessageLanguage.English) => "Bimtek notification",
        _ => "Pemberitahuan Bimtek",
    };

    public static string Render(string template, MessageLanguage language, IReadOnlyDictionary<string, string> arguments, int count)
    {
        if (!_texts.TryGetValue(template, out var texts))
        {
            throw new ArgumentException($"Unknown template '{template}'.", nameof(template));
        }
        var text = language == MessageLanguage.English ? texts.English : texts.Indonesian;
        text = text.Replace("{count}", count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        foreach (var (name, value) in arguments)
        {
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }
        // Arguments the event did not carry render empty rather than as placeholders.
        return System.Text.RegularExpressions.Regex.Replace(text, "\\{[a-z_]+\\}", "");
    }

    /// <summary>
    /// The reason a change gives, as the sentence that ends its message (" Alasan: …" / " Reason: …"); nothing when the
    /// event carries none (an event written before senders gave it).
    /// </summary>
    public static string Because(string reason, MessageLanguage language) =>
        reason.Trim() is { Length: > 0 } given ? (language == MessageLanguage.English ? " Reason: " : " Alasan: ") + given : "";

    /// <summary>How a moment reads in a language, in the programme's time zone (e.g. "Senin, 18 Mei 2020 09.00").</summary>
    public static string When(DateTimeOffset utc, TimeZoneInfo zone, MessageLanguage language)
    {
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        var culture = CultureInfo.GetCultureInfo(language == MessageLanguage.English ? "en-GB" : "id-ID");
        return local.ToString(language == MessageLanguage.English ? "dddd d MMMM yyyy, HH:mm" : "dddd, d MMMM yyyy, HH.mm", culture);
    }
}
