using Bimtek.Data.Persistence;

namespace Bimtek.Distribution.Data;

/// <summary>Recipients and the identity subjects who act for them.</summary>
internal static class RecipientStore
{
    private const string Columns =
        "r.recipient_id AS RecipientId, r.kind AS Kind, r.name AS Name, r.district AS District, " +
        "r.contact_person AS ContactPerson, r.phone AS Phone, r.created_at AS CreatedAt, r.office AS Office";

    public static async Task InsertAsync(DbSession db, RecipientRow row)
    {
        await db.ExecuteAsync(
            "INSERT INTO recipients (recipient_id, kind, name, district, contact_person, phone, created_at, office) " +
            "VALUES (@RecipientId, @Kind, @Name, @District, @ContactPerson, @Phone, @CreatedAt, @Office)", row);
        foreach (var subject in row.UserSubjects)
        {
            await db.ExecuteAsync("INSERT INTO recipient_users (recipient_id, subject) VALUES (@recipientId, @subject)",
                new { recipientId = row.RecipientId, subject });
        }
    }

    public static async Task<RecipientRow?> GetAsync(DbSession db, string recipientId)
    {
        var row = await db.QuerySingleOrDefaultAsync<RecipientRow>($"SELECT {Columns} FROM recipients r WHERE r.recipient_id = @recipientId", new { recipientId });
        if (row is not null)
        {
            await LoadUsersAsync(db, [row]);
        }
        return row;
    }

    public static Keyset<RecipientRow> Listing { get; } = new Keyset<RecipientRow>("distribution.recipients")
        .Ascending("r.name", r => r.Name).Ascending("r.recipient_id", r => r.RecipientId);

    /// <summary>
    /// Recipients ordered by name; <paramref name="subject"/> limits them to those the subject acts for,
    /// <paramref name="offices"/> to those of the offices ("" in it: the default office's unstamped ones).
    /// </summary>
    public static async Task<List<RecipientRow>> ListAsync(DbSession db, long kind, string district, string? subject, KeysetPage page,
        IReadOnlyList<string>? offices = null)
    {
        var rows = (await db.QueryAsync<RecipientRow>(
            $"SELECT {Columns} FROM recipients r " +
            "WHERE (@kind = 0 OR r.kind = @kind) AND (@district = '' OR r.district = @district) " +
            (subject is null ? "" : "AND r.recipient_id IN (SELECT u.recipient_id FROM recipient_users u WHERE u.subject = @subject) ") +
            (offices is null ? "" : $"AND r.office {db.Dialect.InList("offices")} ") +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { kind, district, subject, offices = offices?.ToArray() ?? [] }))).ToList();
        await LoadUsersAsync(db, rows);
        return rows;
    }

    /// <summary>Whether <paramref name="subject"/> may act for the recipient.</summary>
    public static async Task<bool> IsUserAsync(DbSession db, string recipientId, string subject) =>
        await db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM recipient_users WHERE recipient_id = @recipientId AND subject = @subject",
            new { recipientId, subject }) > 0;

    private static async Task LoadUsersAsync(DbSession db, List<RecipientRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var users = await db.QueryAsync<(string RecipientId, string Subject)>(
            $"SELECT recipient_id, subject FROM recipient_users WHERE recipient_id {db.Dialect.InList("ids")} ORDER BY subject",
            new { ids = rows.Select(r => r.RecipientId).ToArray() });
        var bySubject = users.ToLookup(u => u.RecipientId, u => u.Subject);
        foreach (var row in rows)
        {
            row.UserSubjects = [.. bySubject[row.RecipientId]];
        }
    }
}
