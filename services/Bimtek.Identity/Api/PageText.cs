namespace Bimtek.Identity.Api;

/// <summary>The sign-in pages' words: Indonesian by default, English on request (<c>?lang=en</c>, remembered in a cookie).</summary>
internal sealed class PageText
{
    public const string CookieName = "bimtek-lang";

    private static readonly Dictionary<string, (string Id, string En)> _texts = new(StringComparer.Ordinal)
    {
        ["signin.title"] = ("Masuk ke Bimtek", "Sign in to Bimtek"),
        ["signin.name"] = ("Email atau nomor HP", "E-mail or phone number"),
        ["signin.password"] = ("Kata sandi", "Password"),
        ["signin.submit"] = ("Masuk", "Sign in"),
        ["signin.use-code"] = ("Peserta: masuk dengan kode dari instruktur", "Trainees: sign in with a code from your instructor"),
        ["signin.wrong"] = ("Nama atau kata sandi salah.", "Wrong name or password."),
        ["signin.locked"] = ("Akun dikunci sementara karena terlalu banyak percobaan yang salah. Coba lagi dalam {0} menit.",
            "This account is locked for a while after too many failed attempts. Try again in {0} minutes."),
        ["signin.disabled"] = ("Akun ini tidak aktif. Hubungi kantor dinas.", "This account is disabled. Contact the office."),
        ["signin.no-password"] = ("Akun ini belum punya kata sandi. Buka tautan undangan dari operator.",
            "This account has no password yet. Open the invitation link from the operator."),
        ["code.title"] = ("Masuk dengan kode", "Sign in with a code"),
        ["code.name"] = ("Nomor HP atau nama akun", "Phone number or account name"),
        ["code.code"] = ("Kode masuk (8 angka)", "Sign-in code (8 digits)"),
        ["code.refused"] = ("Kode tidak berlaku. Minta kode baru kepada instruktur Anda.", "This code is not valid. Ask your instructor for a new one."),
        ["code.use-password"] = ("Staf: masuk dengan kata sandi", "Staff: sign in with a password"),
        ["limited"] = ("Terlalu banyak percobaan. Coba lagi dalam {0} menit.", "Too many attempts. Try again in {0} minutes."),
        ["invite.title"] = ("Buat kata sandi", "Set your password"),
        ["invite.password"] = ("Kata sandi baru (minimal 10 karakter)", "New password (at least 10 characters)"),
        ["invite.confirm"] = ("Ulangi kata sandi", "Repeat the password"),
        ["invite.submit"] = ("Simpan dan masuk", "Save and sign in"),
        ["invite.mismatch"] = ("Kedua kata sandi tidak sama.", "The two passwords differ."),
        ["invite.invalid"] = ("Undangan ini tidak berlaku lagi. Minta undangan baru kepada operator.",
            "This invitation is no longer valid. Ask the operator for a new one."),
        ["signout.title"] = ("Keluar", "Sign out"),
        ["signout.text"] = ("Anda akan keluar dari Bimtek di perangkat ini.", "You will be signed out of Bimtek on this device."),
        ["signout.submit"] = ("Keluar", "Sign out"),
        ["signout.done"] = ("Anda sudah keluar.", "You are signed out."),
        ["signedin.title"] = ("Anda sudah masuk", "You are signed in"),
        ["signedin.text"] = ("Anda masuk sebagai {0}.", "You are signed in as {0}."),
        ["inbox.title"] = ("Kotak masuk pengembang", "Developer inbox"),
        ["lang.switch"] = ("English", "Bahasa Indonesia"),
    };

    private PageText(string language) => Language = language;

    public string Language { get; }

    public bool English => Language == "en";

    public string this[string key] => English ? _texts[key].En : _texts[key].Id;

    public string Format(string key, object value) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], value);

    /// <summary><c>?lang=</c> wins (and is remembered), then the cookie, then Indonesian.</summary>
    public static PageText For(HttpContext context)
    {
        var asked = context.Request.Query["lang"].ToString();
        if (asked is "en" or "id")
        {
            context.Response.Cookies.Append(CookieName, asked, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(365),
            });
            return new PageText(asked);
        }
        return new PageText(context.Request.Cookies[CookieName] == "en" ? "en" : "id");
    }
}
