using Bimtek.Data.Persistence;

namespace Bimtek.Participants.Data;

/// <summary>A programme, its staff and its active enrolments counted (null row: no such programme).</summary>
internal sealed record ProgrammeWithStaff(ProgrammeRow? Row, IReadOnlyList<StaffRow> Staff, long ActiveEnrolments);

/// <summary>
/// The reads other services and integrators repeat most — a programme (GetProgramme), a programme's office (the office
/// check of every RPC naming one) and CheckEnrolment's rows (once per output report and inspection) — answered from
/// memory between writes (issue 19). Any write committed to this service's database makes them stale: this instance's
/// at once, another instance's when PostgreSQL's notification arrives (Schema/0006's triggers on programmes,
/// programme_staff, people and enrolments; milliseconds after that commit), and while that notification could be
/// missed nothing is answered from memory (<see cref="ReadCache{TKey, TValue}"/>). So a trainee withdrawn through this
/// instance is refused at once, and through another instance as soon as its commit is heard here.
/// </summary>
internal sealed class CachedReads(Database database)
{
    private readonly ReadCache<string, ProgrammeWithStaff> _programmes = new(database.Changes);
    private readonly ReadCache<string, string?> _offices = new(database.Changes);
    private readonly ReadCache<(string Programme, string Trainee, string Person, string Subject), EnrolmentCheckRows> _checks = new(database.Changes);

    public Task<ProgrammeWithStaff> ProgrammeWithStaffAsync(string programmeId, CancellationToken cancellationToken) =>
        _programmes.GetOrLoadAsync(programmeId, () => database.ReadAsync(async db =>
        {
            var (row, staff, active) = await ProgrammeQueries.WithStaffAsync(db, programmeId);
            return new ProgrammeWithStaff(row, staff, active);
        }, cancellationToken));

    public Task<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken) =>
        _offices.GetOrLoadAsync(programmeId, () => database.ReadAsync(db => ProgrammeQueries.OfficeAsync(db, programmeId), cancellationToken));

    public Task<EnrolmentCheckRows> EnrolmentCheckAsync(string programmeId, string traineeId, string personId, string subject,
        CancellationToken cancellationToken) =>
        _checks.GetOrLoadAsync((programmeId, traineeId, personId, subject),
            () => database.ReadAsync(db => EnrolmentCheckQuery.ReadAsync(db, programmeId, traineeId, personId, subject), cancellationToken));
}
