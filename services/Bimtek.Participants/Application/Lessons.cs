using Bimtek.Data.Persistence;
using Bimtek.Participants.Api;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.Hosting;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace Bimtek.Participants.Application;

/// <summary>A trainee's progress over a programme's lessons: every lesson, with its progress row when there is one.</summary>
internal sealed record TraineeProgressView(IReadOnlyList<LessonRow> Lessons, IReadOnlyDictionary<string, ProgressRow> Progress);

/// <summary>A programme's progress: its totals over every active trainee, and one page of trainees with their rows.</summary>
internal sealed record ProgrammeProgressView(
    long LessonCount, LessonQueries.ProgrammeTotals Totals, IReadOnlyList<EnrolmentRow> Trainees, ILookup<string, ProgressRow> Progress, string NextPageToken);

/// <summary>
/// Lessons of a programme (added by operators of its office and its instructors, while the programme is open; the
/// programme row's lock serialises position shifts) and trainees' progress on them, which only grows
/// (<see cref="LessonProgressMerge"/>: a report is merged under the lock of the trainee's enrolment, so a concurrent
/// report is never lost). Rules: <see cref="LessonRules"/>.
/// </summary>
internal sealed class Lessons(UnitOfWork work, IOptions<ParticipantsOptions> options, TimeProvider time)
{
    public Task<TResponse> AddAsync<TResponse>(Caller caller, AddLessonRequest request, Func<LessonRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            await access.RequireAdminOrInstructorOfAsync(request.ProgrammeId);
            var programme = await Lookups.RequireProgrammeAsync(db, request.ProgrammeId, lockRow: true);
            ProgrammeLifecycle.EnsureOpen(programme.ProgrammeId, (ProgrammeState)programme.Status, "new lessons");
            var position = LessonRules.PositionFor(request.Position, await LessonQueries.CountAsync(db, programme.ProgrammeId));
            await LessonQueries.ShiftFromAsync(db, programme.ProgrammeId, position);
            var lesson = new LessonRow
            {
                LessonId = Guid.CreateVersion7().ToString(),
                ProgrammeId = programme.ProgrammeId,
                Position = position,
                Title = request.Title,
                VideoUrl = request.VideoUrl,
                DurationSeconds = request.DurationSeconds,
                ProductStep = request.ProductStep,
                CreatedAt = time.NowMs(),
            };
            await LessonQueries.InsertAsync(db, lesson);
            return respond(lesson);
        }, cancellationToken);

    /// <summary>A page of the programme's lessons, for operators, its staff and its enrolled trainees.</summary>
    public Task<(List<LessonRow> Rows, string NextPageToken)> ListAsync(Caller caller, string programmeId, KeysetPage page,
        CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            var me = await access.MeAsync();
            var allowed = access.IsAdmin
                || await access.IsStaffOfAsync(programmeId)
                || (me is not null && await EnrolmentQueries.ActiveAsync(db, programmeId, me.PersonId) is not null);
            if (!allowed)
            {
                throw Access.Denied();
            }
            await Lookups.RequireProgrammeAsync(db, programmeId);
            return LessonQueries.Listing.Cut(await LessonQueries.ListAsync(db, programmeId, page), page);
        }, cancellationToken);

    public Task<TResponse> RecordProgressAsync<TResponse>(Caller caller, RecordLessonProgressRequest request, Func<ProgressRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        work.WriteAsync(caller, request.RequestId, request, async (db, access) =>
        {
            // Only operators learn whether a lesson exists; others need a programme to be checked against.
            var lesson = await access.RequireVisibleAsync(
                await LessonQueries.GetAsync(db, request.LessonId), r => r.ProgrammeId, "lesson", request.LessonId);
            await access.RequireForTraineeAsync(lesson.ProgrammeId, request.TraineeId, instructorsOnly: true);
            // Locking the enrolment serialises this trainee's reports on the programme, so the
            // read-merge-write below cannot lose a concurrent report.
            if (await EnrolmentQueries.ActiveAsync(db, lesson.ProgrammeId, request.TraineeId, lockRow: true) is null)
            {
                var message = "The trainee is not enrolled in the lesson's programme.";
                throw new PreconditionException(Reasons.TraineeNotEnrolled, message,
                    [new PreconditionViolation(Reasons.TraineeNotEnrolled, $"people/{request.TraineeId}", message)]);
            }
            LessonRules.EnsureWithinDuration(request.FurthestPositionSeconds, lesson.DurationSeconds);
            var stored = await LessonQueries.ProgressAsync(db, lesson.LessonId, request.TraineeId);
            var merged = LessonProgressMerge.Merge(
                stored is null ? null : new ProgressState((int)stored.FurthestPositionSeconds, (int)stored.Percent, stored.Completed == 1, stored.ReportedAt, stored.CompletedAt),
                new ProgressReport(request.FurthestPositionSeconds, request.Percent, Instants.ToUnixMs(request.ReportedAt!)),
                options.Value.LessonCompletionPercent,
                time.NowMs());
            var row = new ProgressRow
            {
                LessonId = lesson.LessonId,
                TraineeId = request.TraineeId,
                FurthestPositionSeconds = merged.FurthestPositionSeconds,
                Percent = merged.Percent,
                Completed = merged.Completed ? 1 : 0,
                ReportedAt = merged.ReportedAtMs,
                CompletedAt = merged.CompletedAtMs,
            };
            await LessonQueries.UpsertProgressAsync(db, lesson.ProgrammeId, row);
            return respond(row);
        }, cancellationToken);

    /// <summary>One trainee's progress on every lesson, for operators, the programme's staff and the trainee; an unknown trainee is NOT_FOUND.</summary>
    public Task<TraineeProgressView> TraineeProgressAsync(Caller caller, string programmeId, string traineeId, CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            await access.RequireForTraineeAsync(programmeId, traineeId, instructorsOnly: false);
            await Lookups.RequireProgrammeAsync(db, programmeId);
            await Lookups.RequirePersonAsync(db, traineeId);
            var lessons = await LessonQueries.ListAsync(db, programmeId, LessonQueries.Listing.All);
            var progress = (await LessonQueries.ProgressOfAsync(db, programmeId, [traineeId])).ToDictionary(p => p.LessonId);
            return new TraineeProgressView(lessons, progress);
        }, cancellationToken);

    /// <summary>The programme's totals and a page of its active trainees' progress, for operators and the programme's staff.</summary>
    public Task<ProgrammeProgressView> ProgrammeProgressAsync(Caller caller, string programmeId, KeysetPage page, CancellationToken cancellationToken) =>
        work.ReadAsync(caller, async (db, access) =>
        {
            await access.RequireAdminOrStaffOfAsync(programmeId);
            await Lookups.RequireProgrammeAsync(db, programmeId);
            var lessonCount = await LessonQueries.CountAsync(db, programmeId);
            var totals = await LessonQueries.TotalsAsync(db, programmeId, lessonCount) ?? new LessonQueries.ProgrammeTotals();
            var (trainees, next) = EnrolmentQueries.ProgressListing.Cut(
                await EnrolmentQueries.ListAsync(db, programmeId, "", (int)EnrolmentStatus.Active, page), page);
            var progress = (await LessonQueries.ProgressOfAsync(db, programmeId, trainees.Select(e => e.TraineeId).ToList())).ToLookup(p => p.TraineeId);
            return new ProgrammeProgressView(lessonCount, totals, trainees, progress, next);
        }, cancellationToken);
}
