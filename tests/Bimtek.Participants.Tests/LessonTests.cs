using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

public sealed class LessonTests
{
    private static AddLessonRequest Lesson(string programmeId, string title, int position = 0) => new()
    {
        RequestId = NewId(),
        ProgrammeId = programmeId,
        Title = title,
        VideoUrl = "https://video.example/" + Uri.EscapeDataString(title),
        DurationSeconds = 600,
        ProductStep = title,
        Position = position,
    };

    private static RecordLessonProgressRequest Report(string lessonId, string traineeId, int seconds, int percent, DateTime at) => new()
    {
        RequestId = NewId(),
        LessonId = lessonId,
        TraineeId = traineeId,
        FurthestPositionSeconds = seconds,
        Percent = percent,
        ReportedAt = Timestamp.FromDateTime(at),
    };

    [Theory, BothDatabases]
    public async Task Lessons_keep_their_order_when_one_is_inserted(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, _, instructor) = await h.ActiveProgrammeAsync();
        await instructor.AddLessonAsync(Lesson(programme.ProgrammeId, "cutting"));
        await instructor.AddLessonAsync(Lesson(programme.ProgrammeId, "ear loops"));
        var inserted = await h.Operator.AddLessonAsync(Lesson(programme.ProgrammeId, "sewing layers", position: 2));
        await h.Operator.AddLessonAsync(Lesson(programme.ProgrammeId, "packing", position: 99));
        Assert.Equal(2, inserted.Position);

        var page1 = await instructor.ListLessonsAsync(new ListLessonsRequest { ProgrammeId = programme.ProgrammeId, PageSize = 3 });
        var page2 = await instructor.ListLessonsAsync(new ListLessonsRequest { ProgrammeId = programme.ProgrammeId, PageSize = 3, PageToken = page1.NextPageToken });
        var all = page1.Lessons.Concat(page2.Lessons).ToList();
        Assert.Equal(["cutting", "sewing layers", "ear loops", "packing"], all.Select(l => l.Title));
        Assert.Equal([1, 2, 3, 4], all.Select(l => l.Position));

        var bad = Lesson(programme.ProgrammeId, "");
        bad.VideoUrl = "http://insecure.example/v";
        bad.DurationSeconds = 0;
        await Errors.InvalidAsync(h.Operator.AddLessonAsync(bad), "title", "video_url", "duration_seconds");
        await Errors.DeniedAsync(h.As("t", Roles.Trainee).AddLessonAsync(Lesson(programme.ProgrammeId, "x")));
        await Errors.DeniedAsync(h.As("t", Roles.Trainee).ListLessonsAsync(new ListLessonsRequest { ProgrammeId = programme.ProgrammeId }));
    }

    [Theory, BothDatabases]
    public async Task A_lesson_takes_a_video_served_by_the_suite_by_its_path_and_no_other_path(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, _, instructor) = await h.ActiveProgrammeAsync();
        var videoPath = $"/api/v1/videos/{Guid.NewGuid()}";
        var served = Lesson(programme.ProgrammeId, "cutting");
        served.VideoUrl = videoPath;
        var lesson = await instructor.AddLessonAsync(served);
        Assert.Equal(videoPath, lesson.VideoUrl);
        var listed = await instructor.ListLessonsAsync(new ListLessonsRequest { ProgrammeId = programme.ProgrammeId });
        Assert.Equal(videoPath, Assert.Single(listed.Lessons).VideoUrl);

        // Only that path: not another of the suite's paths, not a malformed id, nothing after the id, no protocol-relative host.
        foreach (var path in new[]
        {
            "/api/v1/photos/" + Guid.NewGuid(), "/api/v1/videos/not-a-uuid", videoPath + "?x=1", videoPath + "/../../people",
            "//evil.example/api/v1/videos/" + Guid.NewGuid(), "/api/v1/videos/", "javascript:alert(1)",
        })
        {
            var bad = Lesson(programme.ProgrammeId, "bad");
            bad.VideoUrl = path;
            await Errors.InvalidAsync(h.Operator.AddLessonAsync(bad), "video_url");
        }
        Assert.Single((await instructor.ListLessonsAsync(new ListLessonsRequest { ProgrammeId = programme.ProgrammeId })).Lessons);
    }

    [Theory, BothDatabases]
    public async Task Progress_never_moves_backwards_and_rolls_up_per_trainee_and_programme(DatabaseKind db)
    {
        // A lower threshold than the default, to show it is configurable.
        await using var h = await StartAsync(db, new Dictionary<string, string?> { ["Participants:LessonCompletionPercent"] = "80" });
        var (programme, _, instructor) = await h.ActiveProgrammeAsync();
        var cutting = await h.Operator.AddLessonAsync(Lesson(programme.ProgrammeId, "cutting"));
        var sewing = await h.Operator.AddLessonAsync(Lesson(programme.ProgrammeId, "sewing"));
        var siti = await h.RegisterTraineeAsync("Siti", subject: "siti");
        var budi = await h.RegisterTraineeAsync("Budi", subject: "budi");
        await h.EnrolAsync(programme.ProgrammeId, siti.PersonId);
        await h.EnrolAsync(programme.ProgrammeId, budi.PersonId);
        var sitiClient = h.As("siti", Roles.Trainee);
        var now = DateTime.UtcNow;

        var p1 = await sitiClient.RecordLessonProgressAsync(Report(cutting.LessonId, siti.PersonId, 300, 50, now.AddMinutes(-10)));
        Assert.False(p1.Completed);
        var p2 = await sitiClient.RecordLessonProgressAsync(Report(cutting.LessonId, siti.PersonId, 500, 85, now.AddMinutes(-5)));
        Assert.True(p2.Completed);
        Assert.NotNull(p2.CompletedAt);
        // A stale report from an offline phone arrives late: nothing moves back.
        var stale = await sitiClient.RecordLessonProgressAsync(Report(cutting.LessonId, siti.PersonId, 100, 20, now.AddMinutes(-30)));
        Assert.Equal(500, stale.FurthestPositionSeconds);
        Assert.Equal(85, stale.Percent);
        Assert.True(stale.Completed);
        Assert.Equal(p2.CompletedAt, stale.CompletedAt);
        Assert.Equal(p2.ReportedAt, stale.ReportedAt);
        // The same report again (a retried request) changes nothing and answers alike.
        var report = Report(sewing.LessonId, siti.PersonId, 60, 10, now);
        var once = await instructor.RecordLessonProgressAsync(report);
        Assert.Equal(once, await instructor.RecordLessonProgressAsync(report));

        var mine = await sitiClient.GetTraineeLessonProgressAsync(new GetTraineeLessonProgressRequest { ProgrammeId = programme.ProgrammeId, TraineeId = siti.PersonId });
        Assert.Equal(2, mine.LessonCount);
        Assert.Equal(1, mine.CompletedCount);
        Assert.Equal((85 + 10) / 2, mine.Percent);
        Assert.Equal([cutting.LessonId, sewing.LessonId], mine.Lessons.Select(l => l.LessonId));

        await h.Operator.RecordLessonProgressAsync(Report(cutting.LessonId, budi.PersonId, 600, 100, now));
        await h.Operator.RecordLessonProgressAsync(Report(sewing.LessonId, budi.PersonId, 600, 100, now));
        var rollup = await instructor.GetProgrammeLessonProgressAsync(new GetProgrammeLessonProgressRequest { ProgrammeId = programme.ProgrammeId, PageSize = 1 });
        Assert.Equal(2, rollup.TraineeCount);
        Assert.Equal(1, rollup.TraineesCompletedAll);
        Assert.Equal((85 + 10 + 100 + 100) / 4, rollup.Percent);
        Assert.Equal("Siti", Assert.Single(rollup.Trainees).TraineeName);
        var next = await instructor.GetProgrammeLessonProgressAsync(new GetProgrammeLessonProgressRequest
        { ProgrammeId = programme.ProgrammeId, PageSize = 1, PageToken = rollup.NextPageToken });
        Assert.Equal(100, Assert.Single(next.Trainees).Percent);

        // Object-level access: a trainee reports and reads only their own progress.
        await Errors.DeniedAsync(sitiClient.RecordLessonProgressAsync(Report(cutting.LessonId, budi.PersonId, 1, 1, now)));
        await Errors.DeniedAsync(sitiClient.GetTraineeLessonProgressAsync(new GetTraineeLessonProgressRequest { ProgrammeId = programme.ProgrammeId, TraineeId = budi.PersonId }));
        await Errors.DeniedAsync(sitiClient.GetProgrammeLessonProgressAsync(new GetProgrammeLessonProgressRequest { ProgrammeId = programme.ProgrammeId }));
        await Errors.DeniedAsync(sitiClient.RecordLessonProgressAsync(Report(NewId(), siti.PersonId, 1, 1, now)));

        // Bad reports and reports by trainees who are not enrolled.
        await Errors.InvalidAsync(sitiClient.RecordLessonProgressAsync(Report(cutting.LessonId, siti.PersonId, -1, 101, now.AddHours(1))),
            "furthest_position_seconds", "percent", "reported_at");
        await Errors.InvalidAsync(sitiClient.RecordLessonProgressAsync(Report(cutting.LessonId, siti.PersonId, 601, 100, now)), "furthest_position_seconds");
        var outsider = await h.RegisterTraineeAsync("Outsider");
        await Errors.PreconditionAsync(h.Operator.RecordLessonProgressAsync(Report(cutting.LessonId, outsider.PersonId, 1, 1, now)), "TRAINEE_NOT_ENROLLED");
        await Errors.FailsAsync(h.Operator.RecordLessonProgressAsync(Report(NewId(), outsider.PersonId, 1, 1, now)), StatusCode.NotFound);
    }
}
