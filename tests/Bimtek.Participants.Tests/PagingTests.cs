using Bimtek.Data.Persistence;
using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

/// <summary>Participants' lists page by keyset in the suite's opaque page token.</summary>
public sealed class PagingTests
{
    [Theory, BothDatabases]
    public async Task People_registered_between_pages_neither_shift_nor_repeat_a_page(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        foreach (var name in new[] { "Budi", "Dewi", "Fitri", "Hadi", "Joko" })
        {
            await h.RegisterTraineeAsync(name, district: "Paging");
        }
        Task<SearchPeopleResponse> Page(string token) =>
            h.Operator.SearchPeopleAsync(new SearchPeopleRequest { District = "Paging", PageSize = 2, PageToken = token }).ResponseAsync;

        var first = await Page("");
        Assert.Equal(["Budi", "Dewi"], first.People.Select(p => p.Name));
        // Between the pages: Ani sorts before the reader's position, Eka after it.
        await h.RegisterTraineeAsync("Ani", district: "Paging");
        await h.RegisterTraineeAsync("Eka", district: "Paging");
        var names = first.People.Select(p => p.Name).ToList();
        var token = first.NextPageToken;
        while (token != "")
        {
            var page = await Page(token);
            names.AddRange(page.People.Select(p => p.Name));
            token = page.NextPageToken;
        }
        // With offsets the second page would have started at Dewi again (Ani pushed it down one row).
        Assert.Equal(["Budi", "Dewi", "Eka", "Fitri", "Hadi", "Joko"], names);
    }

    [Theory, BothDatabases]
    public async Task Enrolments_made_between_pages_come_once_after_the_earlier_ones(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, _, _) = await h.ActiveProgrammeAsync(capacity: 7);
        var early = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            early.Add((await h.EnrolAsync(programme.ProgrammeId, (await h.RegisterTraineeAsync($"Early {i}")).PersonId)).EnrolmentId);
        }
        Task<ListEnrolmentsResponse> Page(string token) => h.Operator.ListEnrolmentsAsync(
            new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId, PageSize = 3, PageToken = token }).ResponseAsync;

        var first = await Page("");
        var late = (await h.EnrolAsync(programme.ProgrammeId, (await h.RegisterTraineeAsync("Late")).PersonId)).EnrolmentId;
        var second = await Page(first.NextPageToken);
        Assert.Equal("", second.NextPageToken);
        Assert.Equal([.. early, late], first.Enrolments.Concat(second.Enrolments).Select(e => e.EnrolmentId));
    }

    [Theory, BothDatabases]
    public async Task A_tampered_foreign_or_hand_made_token_is_invalid_argument_on_every_list(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, instructor, _) = await h.ActiveProgrammeAsync();
        for (var i = 0; i < 3; i++)
        {
            await h.EnrolAsync(programme.ProgrammeId, (await h.RegisterTraineeAsync($"Trainee {i}")).PersonId);
        }
        var trainee = (await h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId })).Enrolments[0].TraineeId;
        var enrolments = await h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId, PageSize = 1 });
        var real = enrolments.NextPageToken;
        Assert.NotEqual("", real);
        Assert.False(int.TryParse(real, out _));
        // The list's own token reads back.
        Assert.Single((await h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId, PageSize = 1, PageToken = real })).Enrolments);

        var tampered = real[..^2] + (real[^2] == 'A' ? "B" : "A") + real[^1];
        var handMade = PageToken.After("participants.enrolments", programme.ProgrammeId, "not-a-number");
        var lists = new Dictionary<string, Func<string, Task>>
        {
            ["programmes"] = t => h.Operator.ListProgrammesAsync(new ListProgrammesRequest { PageToken = t }).ResponseAsync,
            ["people"] = t => h.Operator.SearchPeopleAsync(new SearchPeopleRequest { PageToken = t }).ResponseAsync,
            ["lessons"] = t => h.Operator.ListLessonsAsync(new ListLessonsRequest { ProgrammeId = programme.ProgrammeId, PageToken = t }).ResponseAsync,
            ["lesson progress"] = t => h.Operator.GetProgrammeLessonProgressAsync(new GetProgrammeLessonProgressRequest { ProgrammeId = programme.ProgrammeId, PageToken = t }).ResponseAsync,
            ["attendance"] = t => h.Operator.ListAttendanceAsync(new ListAttendanceRequest { ProgrammeId = programme.ProgrammeId, PageToken = t }).ResponseAsync,
            ["assistance requests"] = t => h.Operator.ListAssistanceRequestsAsync(new ListAssistanceRequestsRequest { TraineeId = trainee, PageToken = t }).ResponseAsync,
            ["home visits"] = t => h.Operator.ListHomeVisitsAsync(new ListHomeVisitsRequest { InstructorId = instructor.PersonId, PageToken = t }).ResponseAsync,
        };
        foreach (var (name, list) in lists)
        {
            // A token of the enrolment list is foreign to every other list.
            foreach (var bad in new[] { real, tampered, handMade, "2" })
            {
                var error = await Assert.ThrowsAsync<RpcException>(() => list(bad));
                Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{name} answered {error.StatusCode} to a foreign or damaged token");
                Assert.Contains(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations, v => v.Field == "page_token");
            }
        }
        foreach (var bad in new[] { tampered, handMade, "2" })
        {
            await Errors.InvalidAsync(h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId, PageToken = bad }), "page_token");
        }
    }
}
