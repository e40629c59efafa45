using Bimtek.Data.Persistence;
using Bimtek.Participants.Data;
using Bimtek.Participants.Domain;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Participants.Api;

internal sealed partial class ParticipantsGrpcService
{
    /// <summary>How far in the future a device clock may be before a report is refused.</summary>
    private static TimeSpan MaxClockSkew => TimeSpan.FromMinutes(5);

    public override Task<Lesson> AddLesson(AddLessonRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("programme_id", request.ProgrammeId)
            .Range("position", request.Position, 0, 10_000)
            .Required("title", request.Title, 300);
        // A video served by the suite (its same-origin path) or an https URL elsewhere (Domain/LessonVideos.cs).
        if (LessonVideos.IsPath(request.VideoUrl))
        {
            v.When(!LessonVideos.IsSuiteVideoPath(request.VideoUrl), "video_url",
                "must be an https URL or the path of a video served by the suite (/api/v1/videos/{video_id})");
        }
        else
        {
            v.Url("video_url", request.VideoUrl, required: true)
                .When(request.VideoUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase), "video_url", "must be an https URL");
        }
        v.Positive("duration_seconds", request.DurationSeconds, 86_400)
            .Optional("product_step", request.ProductStep, 200)
            .ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (_, db, access) =>
        {
            await access.RequireAdminOrInstructorOfAsync(request.ProgrammeId);
            // The programme row lock serialises position shifts within the programme.
            var programme = await RequireProgrammeAsync(db, request.ProgrammeId, lockRow: true);
            ProgrammeLifecycle.EnsureOpen(programme.ProgrammeId, (ProgrammeState)programme.Status, "new lessons");
            var count = await LessonQueries.CountAsync(db, programme.ProgrammeId);
            var position = request.Position == 0 || request.Position > count ? count + 1 : request.Position;
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
                CreatedAt = NowMs,
            };
            await LessonQueries.InsertAsync(db, lesson);
            return ProtoMapping.ToProto(lesson);
        });
    }

    public override Task<ListLessonsResponse> ListLessons(ListLessonsRequest request, ServerCallContext context)
    {
        var v = Validate().Id("programme_id", request.ProgrammeId).PageSize(request.PageSize);
        v.ValidPageToken(request.PageToken, LessonQueries.Listing).ThrowIfInvalid();
        var page = LessonQueries.Listing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ReadAsync(context, async (db, access) =>
        {
            var me = await access.MeAsync();
            var allowed = access.IsAdmin
                || await access.IsStaffOfAsync(request.ProgrammeId)
                || (me is not null && await EnrolmentQueries.ActiveAsync(db, request.ProgrammeId, me.PersonId) is not null);
            if (!allowed)
            {
                throw Access.Denied();
            }
            await RequireProgrammeAsync(db, request.ProgrammeId);
            var (rows, next) = LessonQueries.Listing.Cut(await LessonQueries.ListAsync(db, request.ProgrammeId, page), page);
            var response = new ListLessonsResponse { NextPageToken = next };
            response.Lessons.Add(rows.Select(ProtoMapping.ToProto));
            return response;
        });
    }

    public override Task<LessonProgress> RecordLessonProgress(RecordLessonProgressRequest request, ServerCallContext context)
    {
        var v = Validate()
            .RequestId(request.RequestId)
            .Id("lesson_id", request.LessonId)
            .Id("trainee_id", request.TraineeId)
            .Range("furthest_position_seconds", request.FurthestPositionSeconds, 0, 86_400)
            .Range("percent", request.Percent, 0, 100)
            .Present("reported_at", request.ReportedAt);
        if (request.ReportedAt is not null && request.ReportedAt.ToDateTimeOffset() > time.GetUtcNow() + MaxClockSkew)
        {
            v.Add("reported_at", "must not be in the future");
        }
        v.ThrowIfInvalid();
        return WriteAsync(request.RequestId, request, context, async (_, db, access) =>
        {
            var lesson = await LessonQueries.GetAsync(db, request.LessonId);
            if (lesson is null || !await access.CoversProgrammeAsync(lesson.ProgrammeId))
            {
                // Only operators learn whether a lesson exists; others need a programme to be checked against.
                throw access.IsAdmin ? new NotFoundException("lesson", request.LessonId) : Access.Denied();
            }
            await access.RequireForTraineeAsync(lesson.ProgrammeId, request.TraineeId, instructorsOnly: true);
            // Locking the enrolment serialises this trainee's reports on the programme, so the
            // read-merge-write below cannot lose a concurrent report.
            var enrolment = await EnrolmentQueries.ActiveAsync(db, lesson.ProgrammeId, request.TraineeId, lockRow: true);
            if (enrolment is null)
            {
                var message = "The trainee is not enrolled in the lesson's programme.";
                throw new PreconditionException(Reasons.TraineeNotEnrolled, message,
                    [new PreconditionViolation(Reasons.TraineeNotEnrolled, $"people/{request.TraineeId}", message)]);
            }
            if (request.FurthestPositionSeconds > lesson.DurationSeconds)
            {
                throw new ValidationException("furthest_position_seconds", $"must not exceed the lesson's duration ({lesson.DurationSeconds} s)", ErrorReasons.ValueOutOfRange);
            }
            var stored = await LessonQueries.ProgressAsync(db, lesson.LessonId, request.TraineeId);
            var merged = LessonProgressMerge.Merge(
                stored is null ? null : new ProgressState((int)stored.FurthestPositionSeconds, (int)stored.Percent, stored.Completed == 1, stored.ReportedAt, stored.CompletedAt),
                new ProgressReport(request.FurthestPositionSeconds, request.Percent, ProtoMapping.ToUnixMs(request.ReportedAt!)),
                options.Value.LessonCompletionPercent,
                NowMs);
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
            return ProtoMapping.ToProto(row);
        });
    }

    public override Task<TraineeLessonProgress> GetTraineeLessonProgress(GetTraineeLessonProgressRequest request, ServerCallContext context)
    {
        Validate().Id("programme_id", request.ProgrammeId).Id("trainee_id", request.TraineeId).ThrowIfInvalid();
        return ReadAsync(context, async (db, access) =>
        {
            await access.RequireForTraineeAsync(request.ProgrammeId, request.TraineeId, instructorsOnly: false);
            await RequireProgrammeAsync(db, request.ProgrammeId);
            _ = await PeopleQueries.GetAsync(db, request.TraineeId) ?? throw new NotFoundException("person", request.TraineeId);
            var lessons = await LessonQueries.ListAsync(db, request.ProgrammeId, LessonQueries.Listing.All);
            var progress = (await LessonQueries.ProgressOfAsync(db, request.ProgrammeId, [request.TraineeId])).ToDictionary(p => p.LessonId);
            var response = new TraineeLessonProgress { ProgrammeId = request.ProgrammeId, TraineeId = request.TraineeId, LessonCount = lessons.Count };
            foreach (var lesson in lessons)
            {
                response.Lessons.Add(progress.TryGetValue(lesson.LessonId, out var p)
                    ? ProtoMapping.ToProto(p)
                    : new LessonProgress { LessonId = lesson.LessonId, TraineeId = request.TraineeId });
            }
            response.CompletedCount = response.Lessons.Count(l => l.Completed);
            response.Percent = lessons.Count == 0 ? 0 : response.Lessons.Sum(l => l.Percent) / lessons.Count;
            return response;
        });
    }

    public override Task<ProgrammeLessonProgress> GetProgrammeLessonProgress(GetProgrammeLessonProgressRequest request, ServerCallContext context)
    {
        var v = Validate().Id("programme_id", request.ProgrammeId).PageSize(request.PageSize);
        v.ValidPageToken(request.PageToken, EnrolmentQueries.ProgressListing).ThrowIfInvalid();
        var pageOf = EnrolmentQueries.ProgressListing.Page(request.PageToken, RequestValidator.EffectivePageSize(request.PageSize));
        return ReadAsync(context, async (db, access) =>
        {
            await access.RequireAdminOrStaffOfAsync(request.ProgrammeId);
            await RequireProgrammeAsync(db, request.ProgrammeId);
            var lessonCount = await LessonQueries.CountAsync(db, request.ProgrammeId);
            var totals = await LessonQueries.TotalsAsync(db, request.ProgrammeId, lessonCount) ?? new LessonQueries.ProgrammeTotals();
            var (page, next) = EnrolmentQueries.ProgressListing.Cut(
                await EnrolmentQueries.ListAsync(db, request.ProgrammeId, "", (int)EnrolmentStatus.Active, pageOf), pageOf);
            var progress = (await LessonQueries.ProgressOfAsync(db, request.ProgrammeId, page.Select(e => e.TraineeId).ToList())).ToLookup(p => p.TraineeId);
            var response = new ProgrammeLessonProgress
            {
                ProgrammeId = request.ProgrammeId,
                LessonCount = (int)lessonCount,
                TraineeCount = (int)totals.TraineeCount,
                TraineesCompletedAll = (int)totals.TraineesCompletedAll,
                Percent = lessonCount == 0 || totals.TraineeCount == 0 ? 0 : (int)(totals.PercentSum / (lessonCount * totals.TraineeCount)),
                NextPageToken = next,
            };
            foreach (var enrolment in page)
            {
                var rows = progress[enrolment.TraineeId].ToList();
                response.Trainees.Add(new TraineeLessonSummary
                {
                    TraineeId = enrolment.TraineeId,
                    TraineeName = enrolment.TraineeName,
                    CompletedCount = rows.Count(r => r.Completed == 1),
                    Percent = lessonCount == 0 ? 0 : (int)(rows.Sum(r => r.Percent) / lessonCount),
                    LastReportedAt = rows.Count == 0 ? null : ProtoMapping.ToTimestamp(rows.Max(r => r.ReportedAt)),
                });
            }
            return response;
        });
    }
}
