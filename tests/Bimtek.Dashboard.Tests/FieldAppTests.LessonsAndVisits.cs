using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bimtek.Scenarios.Rest;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>
/// The field app's lesson player and the instructor's home visits on a phone against the real suite: watch progress is
/// recorded through the queue and never goes down (play, seek forward, seek back, a stale report, a reload); a trainee's
/// "I need help" becomes a visit the instructor finds in route order, records, and the trainee sees resolved.
/// </summary>
public sealed partial class DashboardTests
{
    /// <summary>Where the lessons' videos live today: an https site outside the suite (here answered by the test).</summary>
    private const string VideoHost = "https://video.bimtek.test";

    [Fact]
    public async Task Field_app_the_lesson_player_records_watch_progress_that_never_goes_down_through_seeks_a_stale_report_and_a_reload()
    {
        Output();
        var field = await FieldAsync();
        var trainee = field.Trainees[0];
        using var office = fixture.Suite.CreateGatewayClient();
        var rest = new RestClient(office, new Bimtek.Suite.TestOutputWriter(output));
        var lesson = await rest.PostAsync("add lesson", $"/api/v1/programmes/{field.ProgrammeId}/lessons", new JsonObject
        {
            ["title"] = "Menjahit APD: lapisan luar",
            ["videoUrl"] = $"{VideoHost}/apd/lapisan-luar.wav",
            ["durationSeconds"] = LessonAudio.Seconds,
            ["productStep"] = "lapisan luar",
        }, CancellationToken.None);
        var lessonId = lesson.Required("lessonId", "add lesson");

        // The page's own requests (no worker in between), so the test can answer the video host.
        var page = await NewPhoneAsync(ServiceWorkerPolicy.Block);
        var videoRequests = 0;
        await page.RouteAsync(VideoHost + "/**", async route =>
        {
            Interlocked.Increment(ref videoRequests);
            await LessonAudio.FulfilAsync(route);
        });
        await SignInTraineeAsync(page, trainee);
        var api = new List<int>();
        async Task<int> ApiFurthestAsync()
        {
            using var client = fixture.TraineeClient(trainee.Subject);
            var progress = await client.GetFromJsonAsync<JsonObject>($"/api/v1/programmes/{field.ProgrammeId}/trainees/{trainee.PersonId}/lesson-progress");
            var mine = progress.Array("lessons").SingleOrDefault(l => l.Str("lessonId") == lessonId);
            var furthest = mine is null ? 0 : mine.Int("furthestPositionSeconds");
            api.Add(furthest);
            return furthest;
        }
        Assert.Equal(0, await ApiFurthestAsync());

        await page.ClickAsync("nav a[href='#/lessons']");
        var item = page.Locator($"li[data-lesson-id='{lessonId}']");
        var video = item.Locator("video");
        await Assertions.Expect(video).ToBeVisibleAsync(new() { Timeout = Timeout });
        await video.EvaluateAsync("v => v.readyState >= 1 ? null : new Promise(r => v.addEventListener('loadedmetadata', r, { once: true }))");
        Assert.Equal(LessonAudio.Seconds, await video.EvaluateAsync<double>("v => Math.round(v.duration)"));

        // Play a few seconds and pause: one progress item goes through the queue and the API holds that position.
        await PlayUntilAsync(video, 3);
        var first = await PauseAsync(video);
        await WaitForAsync("the API holds the first pause", async () => (await ApiFurthestAsync() == first, $"API {api[^1]}, player {first}"));

        // Seek forward while playing and pause: further.
        await video.EvaluateAsync("v => { v.currentTime = 40; }");
        await PlayUntilAsync(video, 41);
        var forward = await PauseAsync(video);
        Assert.True(forward >= 41, $"paused at {forward}");
        await WaitForAsync("the API holds the forward seek", async () => (await ApiFurthestAsync() == forward, $"API {api[^1]}, player {forward}"));
        await Assertions.Expect(item.Locator("progress")).ToHaveAttributeAsync("value", Percent(forward).ToString(CultureInfo.InvariantCulture));

        // Seek back and pause: nothing lower is queued, the API stays.
        var sentBefore = await LessonItemsAsync(page);
        await video.EvaluateAsync("v => { v.currentTime = 5; }");
        await PlayUntilAsync(video, 7);
        await PauseAsync(video);
        await Task.Delay(1500);
        Assert.Equal(sentBefore, await LessonItemsAsync(page));
        Assert.Equal(forward, await ApiFurthestAsync());

        // A stale report (an offline phone's older position arriving late) changes nothing either.
        var stale = await rest.PostAsync("stale lesson progress", $"/api/v1/lessons/{lessonId}/progress", new JsonObject
        {
            ["traineeId"] = trainee.PersonId,
            ["furthestPositionSeconds"] = 10,
            ["percent"] = Percent(10),
            ["reportedAt"] = Json.Timestamp(DateTimeOffset.UtcNow.AddHours(-1)),
        }, CancellationToken.None);
        Assert.Equal(forward, stale.Int("furthestPositionSeconds"));
        Assert.Equal(forward, await ApiFurthestAsync());

        // A reload shows the API's position; playing from the start again sends nothing below it.
        await page.ReloadAsync();
        item = page.Locator($"li[data-lesson-id='{lessonId}']");
        video = item.Locator("video");
        await Assertions.Expect(item.Locator("progress")).ToHaveAttributeAsync("value", Percent(forward).ToString(CultureInfo.InvariantCulture), new() { Timeout = Timeout });
        await video.EvaluateAsync("v => v.readyState >= 1 ? null : new Promise(r => v.addEventListener('loadedmetadata', r, { once: true }))");
        await PlayUntilAsync(video, 2);
        await PauseAsync(video);
        await page.ClickAsync("nav a[href='#/queue']");
        await Assertions.Expect(page.Locator("#queue-list li[data-kind=lesson][data-status=waiting]")).ToHaveCountAsync(0, new() { Timeout = Timeout });
        Assert.Equal(forward, await ApiFurthestAsync());

        // Every reading of the API was at least the one before it.
        Assert.Equal(api.Order(), api);
        Assert.Empty(await page.Locator("#queue-list li[data-kind=lesson][data-status=failed]").AllAsync());
        Assert.True(videoRequests > 0, "the player never asked for the video");
        output.WriteLine($"API readings: {string.Join(", ", api)}; video requests: {videoRequests}");
        await page.Context.CloseAsync();

        static int Percent(int seconds) => (int)Math.Min(100, Math.Round(seconds * 100.0 / LessonAudio.Seconds, MidpointRounding.ToEven));
    }

    [Fact]
    public async Task Field_app_a_trainees_help_request_becomes_a_visit_the_instructor_records_in_route_order_and_the_trainee_sees_resolved()
    {
        Output();
        var field = await FieldAsync();
        var asking = field.Trainees[1];
        var other = field.Trainees[2];
        using var office = fixture.Suite.CreateGatewayClient();
        var rest = new RestClient(office, new Bimtek.Suite.TestOutputWriter(output));
        var today = ProgrammeToday();

        // The trainee asks for help from the phone (a making step, what is difficult).
        var phone = await NewPhoneAsync();
        await SignInTraineeAsync(phone, asking);
        await phone.ClickAsync("nav a[href='#/help']");
        await phone.FillAsync("#help-step", "tali pengikat");
        await phone.FillAsync("#help-text", "Jahitan tali selalu lepas");
        await phone.ClickAsync("#help-form button[type=submit]");
        await phone.ClickAsync("nav a[href='#/queue']");
        await Assertions.Expect(phone.Locator("#queue-list li[data-kind=help]")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = Timeout });
        var requests = (await rest.GetAsync("list help", $"/api/v1/assistance-requests?programmeId={field.ProgrammeId}&pageSize=200", CancellationToken.None))
            .Array("assistanceRequests").Where(r => r.Str("traineeId") == asking.PersonId).ToList();
        var request = Assert.Single(requests);
        Assert.Equal("tali pengikat", request.Str("productStep"));
        Assert.Equal("ASSISTANCE_STATUS_OPEN", request.Str("status"));
        var requestId = request.Str("assistanceRequestId");

        // The office books two visits for today, the later window first: the app lists them by window (route order).
        var otherRequest = await rest.PostAsync("other asks for help", "/api/v1/assistance-requests", new JsonObject
        {
            ["programmeId"] = field.ProgrammeId,
            ["traineeId"] = other.PersonId,
            ["productStep"] = "lapisan dalam",
            ["description"] = "Kain dalam berkerut",
        }, CancellationToken.None);
        async Task<string> BookAsync(string assistanceRequestId, int fromHour, string address)
        {
            var visit = await rest.PostAsync("book visit", $"/api/v1/assistance-requests/{assistanceRequestId}/home-visits", new JsonObject
            {
                ["instructorId"] = field.Instructor.PersonId,
                ["day"] = Json.Date(today),
                ["windowStart"] = new JsonObject { ["hours"] = fromHour },
                ["windowEnd"] = new JsonObject { ["hours"] = fromHour + 1 },
                ["address"] = address,
            }, CancellationToken.None);
            return visit.Required("homeVisitId", "book visit");
        }
        var later = await BookAsync(requestId, 14, "Jl. Bihman Villa RT 03, Amuntai Tengah");
        var earlier = await BookAsync(otherRequest.Required("assistanceRequestId", "other asks"), 9, "Desa Sungai Malang RT 01");

        var instructor = await NewPhoneAsync();
        await SignInStaffAsync(instructor, field.Instructor);
        var visits = instructor.Locator("#visits-today li.visit");
        await Assertions.Expect(visits).ToHaveCountAsync(2, new() { Timeout = Timeout });
        Assert.Equal([earlier, later], await instructor.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#visits-today li.visit')].map(li => li.dataset.homeVisitId)"));
        var visit = instructor.Locator($"li.visit[data-home-visit-id='{later}']");
        await Assertions.Expect(visit).ToContainTextAsync("Amuntai Tengah");
        await Assertions.Expect(visit).ToContainTextAsync("Jl. Bihman Villa RT 03");
        await Assertions.Expect(visit).ToContainTextAsync("14:00");

        // Resolved at the home, with a note.
        await visit.Locator("select").SelectOptionAsync("VISIT_OUTCOME_RESOLVED");
        await visit.Locator("textarea").FillAsync("Tali dijahit ulang bersama, sudah kuat");
        await visit.Locator("button[type=submit]").ClickAsync();
        await instructor.ClickAsync("nav a[href='#/queue']");
        await Assertions.Expect(instructor.Locator("#queue-list li[data-kind=visit]")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = Timeout });

        // Recorded: the visit has its outcome, note and time; the request is resolved, also as the trainee reads it.
        var logged = (await rest.GetAsync("list visits", $"/api/v1/home-visits?programmeId={field.ProgrammeId}&pageSize=200", CancellationToken.None))
            .Array("homeVisits").Single(v => v.Str("homeVisitId") == later);
        Assert.Equal("VISIT_OUTCOME_RESOLVED", logged.Str("outcome"));
        Assert.Equal("Tali dijahit ulang bersama, sudah kuat", logged.Str("outcomeNotes"));
        Assert.NotEqual("", logged.Str("visitedAt"));
        using (var asTrainee = fixture.TraineeClient(asking.Subject))
        {
            var own = await asTrainee.GetFromJsonAsync<JsonObject>($"/api/v1/assistance-requests/{requestId}");
            Assert.Equal("ASSISTANCE_STATUS_RESOLVED", own.Str("status"));
            Assert.NotEqual("", own.Str("closedAt"));
        }

        // Shown: the instructor's list keeps only the other visit; the trainee's help page says resolved.
        await instructor.ClickAsync("nav a[href='#/']");
        await Assertions.Expect(visits).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(visits.First).ToHaveAttributeAsync("data-home-visit-id", earlier);
        await instructor.Context.CloseAsync();
        await phone.ClickAsync("nav a[href='#/help']");
        var shown = phone.Locator($"#my-requests li[data-assistance-request-id='{requestId}']");
        await Assertions.Expect(shown).ToHaveAttributeAsync("data-status", "ASSISTANCE_STATUS_RESOLVED", new() { Timeout = Timeout });
        await Assertions.Expect(shown).ToContainTextAsync("Selesai");
        await phone.Context.CloseAsync();

        // The other visit is still to do; logging it again is not possible for the first (already logged).
        var again = await office.PostAsJsonAsync($"/api/v1/home-visits/{later}:logOutcome", new JsonObject
        {
            ["requestId"] = Guid.NewGuid().ToString(),
            ["outcome"] = "VISIT_OUTCOME_NEEDS_ANOTHER_VISIT",
        });
        Assert.Contains("VISIT_ALREADY_LOGGED", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task PlayUntilAsync(ILocator video, int seconds)
    {
        // Muted playback needs no gesture; the phone's speaker stays quiet in a test.
        await video.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await video.EvaluateAsync($$"""
            v => new Promise((resolve, reject) => {
              const started = Date.now();
              const check = () => v.currentTime >= {{seconds}} ? resolve() : Date.now() - started > 30000
                ? reject(new Error('playback stuck at ' + v.currentTime)) : setTimeout(check, 100);
              check();
            })
            """);
    }

    /// <summary>Pauses (the player queues its progress on pause) and returns the whole seconds it paused at.</summary>
    private static async Task<int> PauseAsync(ILocator video) =>
        await video.EvaluateAsync<int>("v => { v.pause(); return Math.floor(v.currentTime); }");

    private static async Task<int> LessonItemsAsync(IPage page) =>
        await page.EvaluateAsync<int>("""
            () => new Promise((resolve, reject) => {
              const open = indexedDB.open('bimtek-field');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const db = open.result;
                const all = db.transaction('outbox', 'readonly').objectStore('outbox').getAll();
                all.onsuccess = () => { resolve(all.result.filter(i => i.kind === 'lesson').length); db.close(); };
                all.onerror = () => reject(all.error);
              };
            })
            """);
}

/// <summary>
/// A lesson's media as the video host serves it: a generated 60-second WAV (8 kHz mono, a quiet tone) — the same
/// &lt;video&gt; element plays it, and WAV needs no codec Debian's chromium might lack — with byte ranges answered 206 as
/// a real host does, so seeking works.
/// </summary>
internal static class LessonAudio
{
    public const int Seconds = 60;
    private const int Rate = 8000;

    private static readonly Lazy<byte[]> _wav = new(Create);

    public static async Task FulfilAsync(IRoute route)
    {
        var bytes = _wav.Value;
        var headers = new Dictionary<string, string> { ["Content-Type"] = "audio/wav", ["Accept-Ranges"] = "bytes", ["Cache-Control"] = "no-store" };
        if (route.Request.Headers.TryGetValue("range", out var range) && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            var parts = range["bytes=".Length..].Split('-');
            var start = long.Parse(parts[0], CultureInfo.InvariantCulture);
            var end = parts.Length > 1 && parts[1].Length > 0 ? Math.Min(long.Parse(parts[1], CultureInfo.InvariantCulture), bytes.Length - 1) : bytes.Length - 1;
            if (start >= bytes.Length)
            {
                headers["Content-Range"] = $"bytes */{bytes.Length}";
                await route.FulfillAsync(new() { Status = 416, Headers = headers });
                return;
            }
            headers["Content-Range"] = $"bytes {start}-{end}/{bytes.Length}";
            await route.FulfillAsync(new() { Status = 206, Headers = headers, BodyBytes = bytes[(int)start..(int)(end + 1)] });
            return;
        }
        await route.FulfillAsync(new() { Status = 200, Headers = headers, BodyBytes = bytes });
    }

    private static byte[] Create()
    {
        var samples = Rate * Seconds;
        using var stream = new MemoryStream(44 + samples);
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + samples);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1); // PCM
        writer.Write((short)1); // mono
        writer.Write(Rate);
        writer.Write(Rate); // bytes per second (8-bit mono)
        writer.Write((short)1); // block align
        writer.Write((short)8); // bits per sample
        writer.Write("data"u8);
        writer.Write(samples);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((byte)(128 + (int)(20 * Math.Sin(2 * Math.PI * 440 * i / Rate))));
        }
        writer.Flush();
        return stream.ToArray();
    }
}
