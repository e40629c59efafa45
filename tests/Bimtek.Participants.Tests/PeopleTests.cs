using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

public sealed class PeopleTests
{
    [Theory, BothDatabases]
    public async Task People_are_searched_by_name_and_district_in_pages(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        foreach (var name in new[] { "Nurul Hidayah", "Muhammad Nur", "Siti Aminah", "NURHASANAH", "Rahmat" })
        {
            await h.RegisterTraineeAsync(name);
        }
        await h.RegisterTraineeAsync("Nur Tabalong", district: "Tabalong");
        await h.RegisterStaffAsync(name: "Nurdin");

        var first = await h.Operator.SearchPeopleAsync(new SearchPeopleRequest { NameQuery = "nur", District = "Hulu Sungai Utara", PageSize = 2 });
        var second = await h.Operator.SearchPeopleAsync(new SearchPeopleRequest { NameQuery = "nur", District = "Hulu Sungai Utara", PageSize = 2, PageToken = first.NextPageToken });
        Assert.Equal(["Muhammad Nur", "Nurdin", "NURHASANAH", "Nurul Hidayah"], first.People.Concat(second.People).Select(p => p.Name));
        Assert.Equal("", second.NextPageToken);
        var trainees = await h.Operator.SearchPeopleAsync(new SearchPeopleRequest { NameQuery = "NUR", Kind = PersonKind.Trainee });
        Assert.Equal(4, trainees.People.Count);
        // LIKE wildcards are matched literally.
        Assert.Empty((await h.Operator.SearchPeopleAsync(new SearchPeopleRequest { NameQuery = "%" })).People);

        await Errors.InvalidAsync(h.Operator.SearchPeopleAsync(new SearchPeopleRequest { PageToken = "bm90LWEtdG9rZW4" }), "page_token");
        await Errors.InvalidAsync(h.Operator.SearchPeopleAsync(new SearchPeopleRequest { PageSize = -1 }), "page_size");
        await Errors.DeniedAsync(h.As("t", Roles.Trainee).SearchPeopleAsync(new SearchPeopleRequest()));
    }

    [Theory, BothDatabases]
    public async Task Registration_validates_input_subjects_are_unique_and_people_read_only_what_they_may(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        await Errors.InvalidAsync(h.Operator.RegisterTraineeAsync(new RegisterTraineeRequest
        { RequestId = "x", Name = "", BirthYear = 1800, Village = "", District = "", GuardianConsent = true }),
            "request_id", "name", "birth_year", "village", "district", "guardian_name");
        await Errors.InvalidAsync(h.Operator.RegisterStaffAsync(new RegisterStaffRequest { RequestId = NewId(), Name = "x", District = "HSU" }), "kind");

        var siti = await h.RegisterTraineeAsync("Siti", subject: "siti");
        await Errors.FailsAsync(h.Operator.RegisterTraineeAsync(new RegisterTraineeRequest
        { RequestId = NewId(), Name = "Imposter", BirthYear = 1990, Village = "v", District = "d", Subject = "siti" }), StatusCode.AlreadyExists);
        var budi = await h.RegisterTraineeAsync("Budi", subject: "budi");

        var sitiClient = h.As("siti", Roles.Trainee);
        Assert.Equal(siti.PersonId, (await sitiClient.GetPersonAsync(new GetPersonRequest { PersonId = "me" })).PersonId);
        Assert.Equal("Siti", (await sitiClient.GetPersonAsync(new GetPersonRequest { PersonId = siti.PersonId })).Name);
        await Errors.DeniedAsync(sitiClient.GetPersonAsync(new GetPersonRequest { PersonId = budi.PersonId }));
        await Errors.DeniedAsync(sitiClient.GetPersonAsync(new GetPersonRequest { PersonId = NewId() }));
        await Errors.FailsAsync(h.As("nobody", Roles.Trainee).GetPersonAsync(new GetPersonRequest { PersonId = "me" }), StatusCode.NotFound);

        // Instructors register trainees and read the people of their programmes only.
        var (programme, _, instructorClient) = await h.ActiveProgrammeAsync();
        var registered = await instructorClient.RegisterTraineeAsync(new RegisterTraineeRequest
        { RequestId = NewId(), Name = "Dewi", BirthYear = 1995, Village = "Sungai Malang", District = "Hulu Sungai Utara" });
        await Errors.DeniedAsync(instructorClient.GetPersonAsync(new GetPersonRequest { PersonId = registered.PersonId }));
        await h.EnrolAsync(programme.ProgrammeId, registered.PersonId);
        Assert.Equal("Dewi", (await instructorClient.GetPersonAsync(new GetPersonRequest { PersonId = registered.PersonId })).Name);
        await Errors.DeniedAsync(sitiClient.RegisterTraineeAsync(new RegisterTraineeRequest
        { RequestId = NewId(), Name = "x", BirthYear = 1995, Village = "v", District = "d" }));
    }
}
