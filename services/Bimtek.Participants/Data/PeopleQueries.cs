using Bimtek.Data.Persistence;

namespace Bimtek.Participants.Data;

/// <summary>SQL for people (trainees, instructors, health experts).</summary>
public static class PeopleQueries
{
    internal const string Columns =
        "person_id AS PersonId, kind AS Kind, name AS Name, phone AS Phone, district AS District, subject AS Subject, " +
        "birth_year AS BirthYear, village AS Village, guardian_name AS GuardianName, guardian_consent AS GuardianConsent, " +
        "guardian_consent_at AS GuardianConsentAt, organisation AS Organisation, created_at AS CreatedAt, email AS Email, language AS Language, " +
        "guardian_phone AS GuardianPhone, contact_version AS ContactVersion";

    public static Task<PersonRow?> GetAsync(DbSession db, string personId, bool lockRow = false) =>
        db.QuerySingleOrDefaultAsync<PersonRow>($"SELECT {Columns} FROM people WHERE person_id = @personId" + (lockRow ? db.ForUpdate : ""), new { personId });

    public static Task<PersonRow?> BySubjectAsync(DbSession db, string subject) =>
        db.QuerySingleOrDefaultAsync<PersonRow>($"SELECT {Columns} FROM people WHERE subject = @subject", new { subject });

    public static Task InsertAsync(DbSession db, PersonRow p) => db.ExecuteAsync(
        "INSERT INTO people (person_id, kind, name, name_folded, phone, district, subject, birth_year, village, guardian_name, " +
        "guardian_consent, guardian_consent_at, organisation, created_at, email, language, guardian_phone, contact_version) VALUES (@PersonId, @Kind, " +
        "@Name, @NameFolded, @Phone, @District, @Subject, @BirthYear, @Village, @GuardianName, @GuardianConsent, @GuardianConsentAt, @Organisation, " +
        "@CreatedAt, @Email, @Language, @GuardianPhone, 1)",
        new
        {
            p.PersonId,
            p.Kind,
            p.Name,
            NameFolded = p.Name.ToLowerInvariant(),
            p.Phone,
            p.District,
            p.Subject,
            p.BirthYear,
            p.Village,
            p.GuardianName,
            p.GuardianConsent,
            p.GuardianConsentAt,
            p.Organisation,
            p.CreatedAt,
            p.Email,
            p.Language,
            p.GuardianPhone,
        });

    public static Task RecordConsentAsync(DbSession db, string personId, string guardianName, long now) => db.ExecuteAsync(
        "UPDATE people SET guardian_name = @guardianName, guardian_consent = 1, guardian_consent_at = @now, contact_version = contact_version + 1 " +
        "WHERE person_id = @personId",
        new { personId, guardianName, now });

    /// <summary>Replaces how a person is reached; a null guardian name keeps the recorded one.</summary>
    public static Task UpdateContactAsync(DbSession db, string personId, string phone, string email, int language, string? guardianName, string guardianPhone) =>
        db.ExecuteAsync(
            "UPDATE people SET phone = @phone, email = @email, language = @language, guardian_name = COALESCE(@guardianName, guardian_name), " +
            "guardian_phone = @guardianPhone, contact_version = contact_version + 1 WHERE person_id = @personId",
            new { personId, phone, email, language, guardianName, guardianPhone });

    /// <summary>The search's order: by folded name.</summary>
    public static Keyset<PersonRow> Search { get; } = new Keyset<PersonRow>("participants.people")
        .Ascending("name_folded", p => p.NameFolded).Ascending("person_id", p => p.PersonId);

    /// <summary>Case-insensitive substring search on the name, exact district, ordered by name.</summary>
    public static Task<IReadOnlyList<PersonRow>> SearchAsync(DbSession db, string nameQuery, string district, int kind, KeysetPage page)
    {
        // LIKE wildcards typed by the caller are matched literally.
        var pattern = "%" + nameQuery.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        return db.QueryAsync<PersonRow>(
            $"SELECT {Columns}, name_folded AS NameFolded FROM people WHERE name_folded LIKE @pattern ESCAPE '\\' " +
            $"AND (@district = '' OR district = @district) AND (@kind = 0 OR kind = @kind) AND {page.After} {page.OrderAndLimit}",
            page.With(new { pattern, district, kind }));
    }

    /// <summary>Whether two people meet in some programme (as staff or trainees): what lets staff read a person.</summary>
    public static async Task<bool> ShareAProgrammeAsync(DbSession db, string staffId, string personId) =>
        await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM programme_staff s WHERE s.person_id = @staffId AND (" +
            "EXISTS (SELECT 1 FROM enrolments e WHERE e.programme_id = s.programme_id AND e.trainee_id = @personId) OR " +
            "EXISTS (SELECT 1 FROM programme_staff o WHERE o.programme_id = s.programme_id AND o.person_id = @personId))",
            new { staffId, personId }) > 0;
}
