using Bimtek.Data.Persistence;
using Bimtek.Materials.V1;

namespace Bimtek.Materials.Data;

/// <summary>
/// Locations: warehouses and offices created by operators, and trainee homes created by kit dispatch (one per trainee,
/// the unique <c>trainee_id</c> decides). Reads of a location are in <see cref="Queries"/>, which every area shares.
/// </summary>
internal static class LocationStore
{
    /// <summary>A warehouse or district office (never a trainee home: those come from <see cref="EnsureHomeAsync"/>).</summary>
    public static Task InsertAsync(DbSession session, LocationRow row) =>
        session.ExecuteAsync(
            "INSERT INTO locations (location_id, kind, name, district, trainee_id, trainee_subject, created_at, office) " +
            "VALUES (@LocationId, @Kind, @Name, @District, NULL, '', @CreatedAt, @Office)",
            row);

    /// <summary>
    /// The trainee's home location, created on the first kit sent there (the unique trainee_id decides) as a location of
    /// <paramref name="office"/>; an existing home keeps its office.
    /// </summary>
    public static async Task<string> EnsureHomeAsync(DbSession session, string traineeId, string traineeSubject, string office, long now)
    {
        await session.ExecuteAsync(
            "INSERT INTO locations (location_id, kind, name, district, trainee_id, trainee_subject, created_at, office) " +
            "VALUES (@locationId, @kind, @name, '', @traineeId, @subject, @now, @office) " +
            "ON CONFLICT (trainee_id) DO UPDATE SET trainee_subject = CASE WHEN locations.trainee_subject = '' " +
            "THEN excluded.trainee_subject ELSE locations.trainee_subject END",
            new
            {
                locationId = Guid.NewGuid().ToString(),
                kind = (int)LocationKind.TraineeHome,
                name = $"Rumah peserta {traineeId}",
                traineeId,
                subject = traineeSubject,
                now,
                office,
            });
        var home = await Queries.HomeAsync(session, traineeId);
        return home!.LocationId;
    }
}
