using Bimtek.Data.Persistence;

namespace Bimtek.Participants.Data;

/// <summary>SQL for programmes and their staff.</summary>
public static class ProgrammeQueries
{
    internal const string Columns =
        "programme_id AS ProgrammeId, code AS Code, title AS Title, product_code AS ProductCode, organisers AS Organisers, " +
        "district AS District, province AS Province, mode AS Mode, start_day AS StartDay, end_day AS EndDay, time_zone AS TimeZone, " +
        "capacity AS Capacity, target_quantity AS TargetQuantity, status AS Status, cancellation_reason AS CancellationReason, " +
        "revision AS Revision, last_sequence AS LastSequence, created_at AS CreatedAt, updated_at AS UpdatedAt, office AS Office";

    /// <summary>The programme; with <paramref name="lockRow"/> inside a transaction, locked until commit.</summary>
    public static Task<ProgrammeRow?> GetAsync(DbSession db, string programmeId, bool lockRow = false) =>
        db.QuerySingleOrDefaultAsync<ProgrammeRow>(
            $"SELECT {Columns} FROM programmes WHERE programme_id = @programmeId" + (lockRow ? db.ForUpdate : ""),
            new { programmeId });

    public static async Task<bool> CodeTakenAsync(DbSession db, string code) =>
        await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM programmes WHERE code = @code", new { code }) > 0;

    public static Task InsertAsync(DbSession db, ProgrammeRow p) => db.ExecuteAsync(
        "INSERT INTO programmes (programme_id, code, title, product_code, organisers, district, province, mode, start_day, end_day, " +
        "time_zone, capacity, target_quantity, status, cancellation_reason, revision, last_sequence, created_at, updated_at, office) VALUES " +
        "(@ProgrammeId, @Code, @Title, @ProductCode, @Organisers, @District, @Province, @Mode, @StartDay, @EndDay, @TimeZone, " +
        "@Capacity, @TargetQuantity, @Status, @CancellationReason, @Revision, @LastSequence, @CreatedAt, @UpdatedAt, @Office)", p);

    /// <summary>The programme's office (empty: the default office); null when there is no such programme.</summary>
    public static Task<string?> OfficeAsync(DbSession db, string programmeId) =>
        db.QuerySingleOrDefaultAsync<string>("SELECT office FROM programmes WHERE programme_id = @programmeId", new { programmeId });

    /// <summary>Writes a new status (and reason); bumps the revision the coordinator orders snapshots by.</summary>
    public static Task UpdateStatusAsync(DbSession db, ProgrammeRow p) => db.ExecuteAsync(
        "UPDATE programmes SET status = @Status, cancellation_reason = @CancellationReason, revision = @Revision, updated_at = @UpdatedAt " +
        "WHERE programme_id = @ProgrammeId", p);

    public static Task TouchAsync(DbSession db, string programmeId, long now) =>
        db.ExecuteAsync("UPDATE programmes SET updated_at = @now WHERE programme_id = @programmeId", new { programmeId, now });

    /// <summary>The programme list's order: latest start first.</summary>
    public static Keyset<ProgrammeRow> Listing { get; } = new Keyset<ProgrammeRow>("participants.programmes")
        .Descending("start_day", p => p.StartDay).Ascending("programme_id", p => p.ProgrammeId);

    /// <summary>A page of programmes; with <paramref name="offices"/>, only theirs ("" in it: the default office's unstamped ones).</summary>
    public static Task<IReadOnlyList<ProgrammeRow>> ListAsync(DbSession db, int status, string district, KeysetPage page,
        IReadOnlyList<string>? offices = null) =>
        db.QueryAsync<ProgrammeRow>(
            $"SELECT {Columns} FROM programmes WHERE (@status = 0 OR status = @status) AND (@district = '' OR district = @district) " +
            (offices is null ? "" : "AND office " + db.Dialect.InList("offices") + " ") +
            $"AND {page.After} {page.OrderAndLimit}",
            page.With(new { status, district, offices = offices?.ToArray() ?? [] }));

    public static Task<IReadOnlyList<StaffRow>> StaffAsync(DbSession db, string programmeId) =>
        db.QueryAsync<StaffRow>(
            "SELECT s.programme_id AS ProgrammeId, s.person_id AS PersonId, s.role AS Role, p.name AS Name, s.assigned_at AS AssignedAt " +
            "FROM programme_staff s JOIN people p ON p.person_id = s.person_id WHERE s.programme_id = @programmeId " +
            "ORDER BY s.assigned_at, s.person_id",
            new { programmeId });

    public static Task<IReadOnlyList<StaffRow>> StaffOfManyAsync(DbSession db, IReadOnlyCollection<string> programmeIds) =>
        programmeIds.Count == 0
            ? Task.FromResult<IReadOnlyList<StaffRow>>([])
            : db.QueryAsync<StaffRow>(
                "SELECT s.programme_id AS ProgrammeId, s.person_id AS PersonId, s.role AS Role, p.name AS Name, s.assigned_at AS AssignedAt " +
                "FROM programme_staff s JOIN people p ON p.person_id = s.person_id WHERE s.programme_id " + db.Dialect.InList("programmeIds") + " " +
                "ORDER BY s.assigned_at, s.person_id",
                new { programmeIds = programmeIds.ToArray() });

    public static Task<long> ActiveEnrolmentsAsync(DbSession db, string programmeId) =>
        db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM enrolments WHERE programme_id = @programmeId AND status = 1", new { programmeId });

    public static Task<long> InstructorCountAsync(DbSession db, string programmeId) =>
        db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM programme_staff WHERE programme_id = @programmeId AND role = 1", new { programmeId });

    public static Task<StaffRow?> AssignmentAsync(DbSession db, string programmeId, string personId) =>
        db.QuerySingleOrDefaultAsync<StaffRow>(
            "SELECT programme_id AS ProgrammeId, person_id AS PersonId, role AS Role, assigned_at AS AssignedAt " +
            "FROM programme_staff WHERE programme_id = @programmeId AND person_id = @personId",
            new { programmeId, personId });

    public static Task AssignAsync(DbSession db, string programmeId, string personId, int role, long now) => db.ExecuteAsync(
        "INSERT INTO programme_staff (programme_id, person_id, role, assigned_at) VALUES (@programmeId, @personId, @role, @now) " +
        "ON CONFLICT (programme_id, person_id) DO NOTHING",
        new { programmeId, personId, role, now });

    public static Task UnassignAsync(DbSession db, string programmeId, string personId) => db.ExecuteAsync(
        "DELETE FROM programme_staff WHERE programme_id = @programmeId AND person_id = @personId", new { programmeId, personId });

    /// <summary>Hands out the next enrolment sequence (never reused, also after withdrawals).</summary>
    public static async Task<long> NextSequenceAsync(DbSession db, string programmeId)
    {
        await db.ExecuteAsync("UPDATE programmes SET last_sequence = last_sequence + 1 WHERE programme_id = @programmeId", new { programmeId });
        return await db.ExecuteScalarAsync<long>("SELECT last_sequence FROM programmes WHERE programme_id = @programmeId", new { programmeId });
    }
}
