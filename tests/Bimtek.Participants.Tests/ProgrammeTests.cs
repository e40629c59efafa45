using System.Net;
using System.Net.Http.Json;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

public sealed class ProgrammeTests
{
    [Theory, BothDatabases]
    public async Task The_lifecycle_is_enforced_draft_active_completed_or_cancelled(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var programme = await h.CreateProgrammeAsync();
        Assert.Equal(ProgrammeStatus.Draft, programme.Status);

        // No activation without an instructor; a health expert alone is not enough.
        var expert = await h.RegisterStaffAsync(StaffKind.HealthExpert, name: "dr. Nur");
        await h.AssignAsync(programme.ProgrammeId, expert.PersonId, StaffRole.HealthExpert);
        await Errors.PreconditionAsync(h.Operator.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId }),
            "PROGRAMME_WITHOUT_INSTRUCTOR");

        // A person's kind must fit the role.
        await Errors.PreconditionAsync(h.Operator.AssignStaffAsync(new AssignStaffRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, PersonId = expert.PersonId, Role = StaffRole.Instructor }), "STAFF_KIND_MISMATCH");

        var instructor = await h.RegisterStaffAsync();
        await h.AssignAsync(programme.ProgrammeId, instructor.PersonId);
        await h.AssignAsync(programme.ProgrammeId, instructor.PersonId); // no-op the second time
        var active = await h.Operator.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId });
        Assert.Equal(ProgrammeStatus.Active, active.Status);
        Assert.Equal(2, active.Staff.Count);

        // The last instructor of an active programme stays.
        await Errors.PreconditionAsync(h.Operator.UnassignStaffAsync(new UnassignStaffRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, PersonId = instructor.PersonId }), "LAST_INSTRUCTOR");
        var withoutExpert = await h.Operator.UnassignStaffAsync(new UnassignStaffRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, PersonId = expert.PersonId });
        Assert.Single(withoutExpert.Staff);

        await Errors.PreconditionAsync(h.Operator.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId }),
            "PROGRAMME_NOT_DRAFT");
        var completed = await h.Operator.CompleteProgrammeAsync(new CompleteProgrammeRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId });
        Assert.Equal(ProgrammeStatus.Completed, completed.Status);
        await Errors.PreconditionAsync(h.Operator.CancelProgrammeAsync(new CancelProgrammeRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, Reason = "too late" }), "PROGRAMME_CLOSED");

        // No enrolment and no staff changes once completed.
        var trainee = await h.RegisterTraineeAsync();
        await Errors.PreconditionAsync(h.Operator.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId }),
            "PROGRAMME_CLOSED");
        await Errors.PreconditionAsync(h.Operator.AssignStaffAsync(new AssignStaffRequest
        { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, PersonId = expert.PersonId, Role = StaffRole.HealthExpert }), "PROGRAMME_CLOSED");

        // A draft can be cancelled with its reason; then nothing more.
        var other = await h.CreateProgrammeAsync();
        await Errors.PreconditionAsync(h.Operator.CompleteProgrammeAsync(new CompleteProgrammeRequest { RequestId = NewId(), ProgrammeId = other.ProgrammeId }),
            "PROGRAMME_NOT_ACTIVE");
        var cancelled = await h.Operator.CancelProgrammeAsync(new CancelProgrammeRequest { RequestId = NewId(), ProgrammeId = other.ProgrammeId, Reason = "no materials" });
        Assert.Equal(ProgrammeStatus.Cancelled, cancelled.Status);
        Assert.Equal("no materials", cancelled.CancellationReason);
        await Errors.PreconditionAsync(h.Operator.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = other.ProgrammeId, TraineeId = trainee.PersonId }),
            "PROGRAMME_CLOSED");

        // An unknown programme: NOT_FOUND for a caller that is not office-scoped (another service's relay); an operator
        // gets the office refusal another office's programme gets (OfficeTests), which tells nothing about existence.
        await Errors.FailsAsync(h.As("coordinator", Roles.Service).GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = NewId() }), StatusCode.NotFound);
        await Errors.DeniedAsync(h.Operator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = NewId() }));
    }

    [Theory, BothDatabases]
    public async Task Every_programme_change_reaches_the_coordinator_once_with_a_growing_revision(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, _, _) = await h.ActiveProgrammeAsync();
        await h.Operator.CompleteProgrammeAsync(new CompleteProgrammeRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId });
        await h.DrainOutboxAsync();

        var changes = h.Coordinator.ProgrammeChanges.Where(c => c.Programme.ProgrammeId == programme.ProgrammeId).OrderBy(c => c.Programme.Revision).ToList();
        Assert.Equal([1L, 2L, 3L], changes.Select(c => c.Programme.Revision));
        Assert.Equal(
            [Coordinator.V1.ProgrammePhase.Draft, Coordinator.V1.ProgrammePhase.Active, Coordinator.V1.ProgrammePhase.Completed],
            changes.Select(c => c.Programme.Phase));
        var snapshot = changes[^1].Programme;
        Assert.Equal("APD-SET", snapshot.ProductCode);
        Assert.Equal(60, snapshot.TargetQuantity);
        Assert.Equal("Asia/Makassar", snapshot.TimeZone);
        Assert.Equal(programme.StartDay.Day, snapshot.StartDay.Day);
        Assert.Equal(programme.EndDay.Day, snapshot.EndDay.Day);
        Assert.Equal(3, changes.Select(c => c.RequestId).Distinct().Count());
        Assert.All(changes, c => Assert.True(Guid.TryParse(c.RequestId, out _)));
    }

    [Theory, BothDatabases]
    public async Task Bad_programmes_are_invalid_argument_with_field_violations_and_codes_are_unique(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var bad = h.ProgrammeRequest(capacity: 0, target: 0, start: Day(2020, 5, 20), end: Day(2020, 5, 18));
        bad.TimeZone = "Mars/Olympus";
        bad.Mode = ProgrammeMode.Unspecified;
        bad.Code = "lower case";
        await Errors.InvalidAsync(h.Operator.CreateProgrammeAsync(bad), "capacity", "target_quantity", "time_zone", "mode", "code");

        var reversed = h.ProgrammeRequest(start: Day(2020, 5, 20), end: Day(2020, 5, 18));
        await Errors.InvalidAsync(h.Operator.CreateProgrammeAsync(reversed), "end_day");
        var impossible = h.ProgrammeRequest(start: Day(2020, 2, 30));
        await Errors.InvalidAsync(h.Operator.CreateProgrammeAsync(impossible), "start_day");

        var first = h.ProgrammeRequest(code: "BIMTEK-DUP-1");
        await h.Operator.CreateProgrammeAsync(first);
        var again = h.ProgrammeRequest(code: "BIMTEK-DUP-1");
        await Errors.FailsAsync(h.Operator.CreateProgrammeAsync(again), StatusCode.AlreadyExists);

        await Errors.InvalidAsync(h.Operator.ListProgrammesAsync(new ListProgrammesRequest { PageSize = 201 }), "page_size");
        await Errors.InvalidAsync(h.Operator.ListProgrammesAsync(new ListProgrammesRequest { PageToken = "garbage!" }), "page_token");
        await Errors.InvalidAsync(h.Operator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = "nope" }), "programme_id");
    }

    [Theory, BothDatabases]
    public async Task A_replayed_request_id_returns_the_first_programme_and_a_reused_one_is_refused(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var request = h.ProgrammeRequest();
        var first = await h.Operator.CreateProgrammeAsync(request);
        var replay = await h.Operator.CreateProgrammeAsync(request);
        Assert.Equal(first, replay);

        var changed = request.Clone();
        changed.Capacity = 9;
        var error = await Errors.FailsAsync(h.Operator.CreateProgrammeAsync(changed), StatusCode.InvalidArgument);
        Assert.Equal("REQUEST_ID_REUSED", Errors.Reason(error));

        var list = await h.Operator.ListProgrammesAsync(new ListProgrammesRequest());
        Assert.Single(list.Programmes);
        await h.DrainOutboxAsync();
        Assert.Single(h.Coordinator.ProgrammeChanges);
    }

    [Theory, BothDatabases]
    public async Task Only_operators_create_and_run_programmes(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, _, instructorClient) = await h.ActiveProgrammeAsync();
        var trainee = h.As("someone", Roles.Trainee);

        await Errors.DeniedAsync(instructorClient.CreateProgrammeAsync(h.ProgrammeRequest()));
        await Errors.DeniedAsync(trainee.CreateProgrammeAsync(h.ProgrammeRequest()));
        await Errors.DeniedAsync(instructorClient.CompleteProgrammeAsync(new CompleteProgrammeRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId }));
        await Errors.DeniedAsync(trainee.RegisterStaffAsync(new RegisterStaffRequest
        { RequestId = NewId(), Kind = StaffKind.Instructor, Name = "x", District = "HSU" }));
        // Integrators (the office's systems) may create programmes.
        var integrator = h.As("sim-kab", Roles.Integrator);
        await integrator.CreateProgrammeAsync(h.ProgrammeRequest());
        // Anyone authenticated may read programmes.
        Assert.Equal(programme.Code, (await trainee.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).Code);
    }

    [Theory, BothDatabases]
    public async Task Programmes_list_in_pages_newest_first_with_filters(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        for (var i = 0; i < 5; i++)
        {
            await h.Operator.CreateProgrammeAsync(h.ProgrammeRequest(start: Day(2020, 5, 10 + i), end: Day(2020, 5, 20 + i)));
        }
        var first = await h.Operator.ListProgrammesAsync(new ListProgrammesRequest { PageSize = 2 });
        var second = await h.Operator.ListProgrammesAsync(new ListProgrammesRequest { PageSize = 2, PageToken = first.NextPageToken });
        var third = await h.Operator.ListProgrammesAsync(new ListProgrammesRequest { PageSize = 2, PageToken = second.NextPageToken });
        var days = first.Programmes.Concat(second.Programmes).Concat(third.Programmes).Select(p => p.StartDay.Day).ToList();
        Assert.Equal([14, 13, 12, 11, 10], days);
        Assert.Equal("", third.NextPageToken);
        Assert.Empty((await h.Operator.ListProgrammesAsync(new ListProgrammesRequest { Status = ProgrammeStatus.Active })).Programmes);
        Assert.Empty((await h.Operator.ListProgrammesAsync(new ListProgrammesRequest { District = "Tabalong" })).Programmes);
        Assert.Equal(5, (await h.Operator.ListProgrammesAsync(new ListProgrammesRequest { District = "Hulu Sungai Utara" })).Programmes.Count);
    }

    [Fact]
    public async Task Bad_input_over_rest_is_http_400_with_field_violations()
    {
        await using var h = await StartAsync(DatabaseKind.Sqlite);
        using var http = h.Host.CreateHttpClient(TestTokens.Operator());
        using var response = await http.PostAsJsonAsync("/api/v1/programmes", new
        {
            requestId = NewId(),
            code = "BIMTEK-X",
            title = "x",
            productCode = "MASK",
            organisers = new[] { "HSU" },
            district = "HSU",
            province = "Kalsel",
            mode = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            startDay = new { year = 2020, month = 5, day = 20 },
            endDay = new { year = 2020, month = 5, day = 18 },
            timeZone = "Asia/Makassar",
            capacity = 0,
            targetQuantity = 500,
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("type.googleapis.com/google.rpc.BadRequest", body);
        Assert.Contains("\"field\":\"capacity\"", body);
        Assert.Contains("\"field\":\"endDay\"", body);
    }
}
