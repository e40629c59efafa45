using System.Net;
using System.Net.Http.Json;
using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Google.Protobuf;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

/// <summary>
/// The two programmes of the seed document, set up the way an integrator would: JSON over the
/// REST surface only. The mask programme (18–20 May 2020, 5 teenagers with guardians, 1
/// instructor, video lessons, 500 masks) and the PPE programme (7 trainees, 60 sets, instructors
/// and a health expert).
/// </summary>
public sealed class SeedProgrammesRestTests
{
    private static readonly JsonParser _json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    [Theory, BothDatabases]
    public async Task Both_seed_programmes_are_set_up_through_rest(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        using var http = h.Host.CreateHttpClient(TestTokens.Operator());

        // ----- Programme 1: 3-layer sasirangan cloth masks -----
        var masks = await PostAsync<Programme>(http, "/api/v1/programmes", new
        {
            requestId = NewId(),
            code = "BIMTEK-MASKER-2020",
            title = "Bimtek pembuatan masker kain 3 lapis berbasis sasirangan",
            productCode = "MASK-SASIRANGAN-3L",
            organisers = new[] { "Disperindagkop-UKM HSU", "Dinas Perindustrian Provinsi Kalsel" },
            district = "Hulu Sungai Utara",
            province = "Kalimantan Selatan",
            mode = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            startDay = new { year = 2020, month = 5, day = 18 },
            endDay = new { year = 2020, month = 5, day = 20 },
            timeZone = "Asia/Makassar",
            capacity = 5,
            targetQuantity = 500,
        });
        Assert.Equal(ProgrammeStatus.Draft, masks.Status);
        var maskInstructor = await RegisterStaffAsync(http, "STAFF_KIND_INSTRUCTOR", "Hj. Mariani", "Disperindagkop-UKM HSU");
        await PostAsync<Programme>(http, $"/api/v1/programmes/{masks.ProgrammeId}/staff",
            new { requestId = NewId(), personId = maskInstructor.PersonId, role = "STAFF_ROLE_INSTRUCTOR" });
        foreach (var (title, step) in new[] { ("Memotong kain sasirangan", "cutting"), ("Menjahit tiga lapis", "sewing layers"), ("Memasang tali telinga", "ear loops") })
        {
            await PostAsync<Lesson>(http, $"/api/v1/programmes/{masks.ProgrammeId}/lessons", new
            {
                requestId = NewId(),
                title,
                videoUrl = $"https://video.hsu.example/masker/{step.Replace(' ', '-')}",
                durationSeconds = 900,
                productStep = step,
            });
        }
        var teenagers = new List<Person>();
        foreach (var name in new[] { "Aulia", "Fitri", "Nabila", "Rizky", "Salsa" })
        {
            // Teenagers in 2020: registered with their guardian's name and consent.
            var trainee = await PostAsync<Person>(http, "/api/v1/people/trainees", new
            {
                requestId = NewId(),
                name,
                birthYear = 2004,
                village = "Paliwara",
                district = "Hulu Sungai Utara",
                guardianName = "Orang tua " + name,
                guardianConsent = true,
            });
            Assert.True(trainee.Trainee.GuardianConsent);
            teenagers.Add(trainee);
        }
        masks = await PostAsync<Programme>(http, $"/api/v1/programmes/{masks.ProgrammeId}:activate", new { requestId = NewId() });
        Assert.Equal(ProgrammeStatus.Active, masks.Status);
        foreach (var trainee in teenagers)
        {
            await PostAsync<Enrolment>(http, $"/api/v1/programmes/{masks.ProgrammeId}/enrolments", new { requestId = NewId(), traineeId = trainee.PersonId });
        }
        // A sixth trainee does not fit: 400 with the capacity reason in the body.
        var sixth = await PostAsync<Person>(http, "/api/v1/people/trainees", new { requestId = NewId(), name = "Dimas", birthYear = 1999, village = "Sungai Malang", district = "Hulu Sungai Utara" });
        using (var full = await http.PostAsJsonAsync($"/api/v1/programmes/{masks.ProgrammeId}/enrolments", new { requestId = NewId(), traineeId = sixth.PersonId }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, full.StatusCode);
            Assert.Contains("PROGRAMME_AT_CAPACITY", await full.Content.ReadAsStringAsync());
        }

        masks = await GetAsync<Programme>(http, $"/api/v1/programmes/{masks.ProgrammeId}");
        Assert.Equal(("BIMTEK-MASKER-2020", 5, 5, 500), (masks.Code, masks.Capacity, masks.EnrolledCount, masks.TargetQuantity));
        Assert.Equal((2020, 5, 18, 20), (masks.StartDay.Year, masks.StartDay.Month, masks.StartDay.Day, masks.EndDay.Day));
        Assert.Equal("Asia/Makassar", masks.TimeZone);
        Assert.Equal(["Disperindagkop-UKM HSU", "Dinas Perindustrian Provinsi Kalsel"], masks.Organisers);
        var lessons = await GetAsync<ListLessonsResponse>(http, $"/api/v1/programmes/{masks.ProgrammeId}/lessons");
        Assert.Equal(["cutting", "sewing layers", "ear loops"], lessons.Lessons.Select(l => l.ProductStep));
        var maskEnrolments = await GetAsync<ListEnrolmentsResponse>(http, $"/api/v1/programmes/{masks.ProgrammeId}/enrolments");
        Assert.Equal([1, 2, 3, 4, 5], maskEnrolments.Enrolments.Select(e => e.Sequence));

        // ----- Programme 2: PPE sets under a health expert's eye -----
        var ppe = await PostAsync<Programme>(http, "/api/v1/programmes", new
        {
            requestId = NewId(),
            code = "BIMTEK-APD-2020",
            title = "Bimtek pembuatan alat pelindung diri (APD)",
            productCode = "APD-SET",
            organisers = new[] { "Disperindagkop-UKM HSU", "Dinas Perindustrian Provinsi Kalsel" },
            district = "Hulu Sungai Utara",
            province = "Kalimantan Selatan",
            mode = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            startDay = new { year = 2020, month = 6, day = 8 },
            endDay = new { year = 2020, month = 6, day = 19 },
            timeZone = "Asia/Makassar",
            capacity = 7,
            targetQuantity = 60,
        });
        foreach (var name in new[] { "Ahmad Fauzi", "Siti Rahmah" })
        {
            var instructor = await RegisterStaffAsync(http, "STAFF_KIND_INSTRUCTOR", name, "Disperindagkop-UKM HSU");
            await PostAsync<Programme>(http, $"/api/v1/programmes/{ppe.ProgrammeId}/staff", new { requestId = NewId(), personId = instructor.PersonId, role = "STAFF_ROLE_INSTRUCTOR" });
        }
        var expert = await RegisterStaffAsync(http, "STAFF_KIND_HEALTH_EXPERT", "dr. Nurhayati", "Puskesmas Amuntai");
        await PostAsync<Programme>(http, $"/api/v1/programmes/{ppe.ProgrammeId}/staff", new { requestId = NewId(), personId = expert.PersonId, role = "STAFF_ROLE_HEALTH_EXPERT" });
        await PostAsync<Lesson>(http, $"/api/v1/programmes/{ppe.ProgrammeId}/lessons", new
        { requestId = NewId(), title = "Menjahit gaun APD sesuai standar medis", videoUrl = "https://video.hsu.example/apd/gaun", durationSeconds = 1800, productStep = "gown" });
        await PostAsync<Programme>(http, $"/api/v1/programmes/{ppe.ProgrammeId}:activate", new { requestId = NewId() });
        for (var i = 1; i <= 7; i++)
        {
            var trainee = await PostAsync<Person>(http, "/api/v1/people/trainees", new
            { requestId = NewId(), name = $"Peserta APD {i}", birthYear = 1990 + i, village = "Amuntai Tengah", district = "Hulu Sungai Utara", phone = $"+62811000000{i}" });
            await PostAsync<Enrolment>(http, $"/api/v1/programmes/{ppe.ProgrammeId}/enrolments", new { requestId = NewId(), traineeId = trainee.PersonId });
        }
        ppe = await GetAsync<Programme>(http, $"/api/v1/programmes/{ppe.ProgrammeId}");
        Assert.Equal((ProgrammeStatus.Active, 7, 7, 60), (ppe.Status, ppe.Capacity, ppe.EnrolledCount, ppe.TargetQuantity));
        Assert.Equal(2, ppe.Staff.Count(s => s.Role == StaffRole.Instructor));
        Assert.Equal("dr. Nurhayati", Assert.Single(ppe.Staff, s => s.Role == StaffRole.HealthExpert).Name);

        var search = await GetAsync<SearchPeopleResponse>(http, "/api/v1/people?nameQuery=peserta%20apd&district=Hulu%20Sungai%20Utara&pageSize=5");
        Assert.Equal(5, search.People.Count);
        Assert.NotEqual("", search.NextPageToken);
        var active = await GetAsync<ListProgrammesResponse>(http, "/api/v1/programmes?status=PROGRAMME_STATUS_ACTIVE");
        Assert.Equal(["BIMTEK-APD-2020", "BIMTEK-MASKER-2020"], active.Programmes.Select(p => p.Code));

        // The coordinator heard of both programmes and all twelve enrolments, each once.
        await h.DrainOutboxAsync();
        Assert.Equal(12, h.Coordinator.EnrolmentChanges.Count);
        Assert.Equal([1, 2, 3, 4, 5], h.Coordinator.EnrolmentChanges.Where(c => c.Programme.ProgrammeId == masks.ProgrammeId).Select(c => c.EnrolmentSequence).Order());
        Assert.All(h.Coordinator.EnrolmentChanges.Where(c => c.Programme.ProgrammeId == ppe.ProgrammeId), c => Assert.Equal(60, c.Programme.TargetQuantity));
        Assert.Equal(4, h.Coordinator.ProgrammeChanges.Count); // created and activated, twice
    }

    private static Task<Person> RegisterStaffAsync(HttpClient http, string kind, string name, string organisation) =>
        PostAsync<Person>(http, "/api/v1/people/staff", new { requestId = NewId(), kind, name, district = "Hulu Sungai Utara", organisation });

    private static async Task<T> PostAsync<T>(HttpClient http, string path, object body) where T : IMessage, new()
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return _json.Parse<T>(text);
    }

    private static async Task<T> GetAsync<T>(HttpClient http, string path) where T : IMessage, new()
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return _json.Parse<T>(text);
    }
}
