using Bimtek.Data.Persistence;
using Bimtek.Notifications.Domain;

namespace Bimtek.Notifications.Data;

/// <summary>People's contacts (one row per subject).</summary>
public sealed class ContactStore(Database database)
{
    private const string Columns =
        "subject AS Subject, name AS Name, phone AS Phone, email AS Email, language AS Language, preferred_channel AS PreferredChannel, " +
        "opted_out AS OptedOut, minor AS Minor, guardian_subject AS GuardianSubject, guardian_consent AS GuardianConsent, " +
        "push_endpoint AS PushEndpoint, push_p256dh AS PushP256dh, push_auth AS PushAuth";

    public Task UpsertAsync(DbSession session, ContactInfo c, long now) => session.ExecuteAsync(
        "INSERT INTO contacts (subject, name, phone, email, language, preferred_channel, opted_out, minor, guardian_subject, guardian_consent, " +
        "push_endpoint, push_p256dh, push_auth, updated_at) VALUES (@Subject, @Name, @Phone, @Email, @Language, @PreferredChannel, @OptedOut, @Minor, " +
        "@GuardianSubject, @GuardianConsent, @PushEndpoint, @PushP256dh, @PushAuth, @now) " +
        "ON CONFLICT (subject) DO UPDATE SET name = excluded.name, phone = excluded.phone, email = excluded.email, language = excluded.language, " +
        "preferred_channel = excluded.preferred_channel, opted_out = excluded.opted_out, minor = excluded.minor, guardian_subject = excluded.guardian_subject, " +
        "guardian_consent = excluded.guardian_consent, push_endpoint = excluded.push_endpoint, push_p256dh = excluded.push_p256dh, " +
        "push_auth = excluded.push_auth, updated_at = excluded.updated_at",
        ContactRow.From(c, now));

    /// <summary>
    /// Keeps what the sender owns of a contact (name, addresses, language, minor, guardian) unless a newer version is kept
    /// already; a new contact starts with the defaults for the rest. True when it changed the row.
    /// </summary>
    public static async Task<bool> ApplySourcedAsync(DbSession session, SourcedContact c, long now) => await session.ExecuteAsync(
        "INSERT INTO contacts (subject, name, phone, email, language, minor, guardian_subject, guardian_consent, source_version, updated_at) " +
        "VALUES (@Subject, @Name, @Phone, @Email, @Language, @Minor, @GuardianSubject, @GuardianConsent, @Version, @now) " +
        "ON CONFLICT (subject) DO UPDATE SET name = excluded.name, phone = excluded.phone, email = excluded.email, language = excluded.language, " +
        "minor = excluded.minor, guardian_subject = excluded.guardian_subject, guardian_consent = excluded.guardian_consent, " +
        "source_version = excluded.source_version, updated_at = excluded.updated_at WHERE contacts.source_version <= excluded.source_version",
        new
        {
            c.Subject,
            c.Name,
            c.Phone,
            c.Email,
            Language = (int)c.Language,
            Minor = c.Minor ? 1 : 0,
            c.GuardianSubject,
            GuardianConsent = c.GuardianConsent ? 1 : 0,
            c.Version,
            now,
        }) > 0;

    public async Task<ContactInfo?> FindAsync(string subject, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(s => s.QuerySingleOrDefaultAsync<ContactRow>(
            $"SELECT {Columns} FROM contacts WHERE subject = @subject", new { subject }), cancellationToken);
        return row?.ToInfo();
    }

    public static async Task<IReadOnlyDictionary<string, ContactInfo>> FindManyAsync(DbSession session, IEnumerable<string> subjects)
    {
        var list = subjects.Where(s => s.Length > 0).Distinct().ToArray();
        if (list.Length == 0)
        {
            return new Dictionary<string, ContactInfo>();
        }
        var result = new Dictionary<string, ContactInfo>();
        foreach (var subject in list)
        {
            var row = await session.QuerySingleOrDefaultAsync<ContactRow>($"SELECT {Columns} FROM contacts WHERE subject = @subject", new { subject });
            if (row is not null)
            {
                result[subject] = row.ToInfo();
            }
        }
        return result;
    }

    // Settable properties: Dapper converts INTEGER (PostgreSQL int4, SQLite int8) either way.
    private sealed class ContactRow
    {
        public string Subject { get; set; } = "";
        public string Name { get; set; } = "";
        public string Phone { get; set; } = "";
        public string Email { get; set; } = "";
        public long Language { get; set; }
        public long PreferredChannel { get; set; }
        public long OptedOut { get; set; }
        public long Minor { get; set; }
        public string GuardianSubject { get; set; } = "";
        public long GuardianConsent { get; set; }
        public string PushEndpoint { get; set; } = "";
        public string PushP256dh { get; set; } = "";
        public string PushAuth { get; set; } = "";

        public ContactInfo ToInfo() => new(Subject, Name, Phone, Email, Language == 2 ? MessageLanguage.English : MessageLanguage.Indonesian,
            (ChannelKind)PreferredChannel, OptedOut != 0, Minor != 0, GuardianSubject, GuardianConsent != 0, PushEndpoint, PushP256dh, PushAuth);

        public static object From(ContactInfo c, long now) => new
        {
            c.Subject,
            c.Name,
            c.Phone,
            c.Email,
            Language = (int)c.Language,
            PreferredChannel = (int)c.PreferredChannel,
            OptedOut = c.OptedOut ? 1 : 0,
            Minor = c.Minor ? 1 : 0,
            c.GuardianSubject,
            GuardianConsent = c.GuardianConsent ? 1 : 0,
            c.PushEndpoint,
            c.PushP256dh,
            c.PushAuth,
            now,
        };
    }
}
