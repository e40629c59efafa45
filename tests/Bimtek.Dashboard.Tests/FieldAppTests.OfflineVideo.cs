using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Bimtek.Scenarios.Rest;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>
/// A lesson video served by the suite, on a phone against the real suite: the office uploads it and names it in a
/// lesson; the trainee's player streams it through the service worker (which adds the person's token), keeps it for
/// offline viewing, plays it with the network off (also after reopening the app offline), and removes it again.
/// </summary>
public sealed partial class DashboardTests
{
    [Fact]
    public async Task Field_app_a_trainee_keeps_a_suite_served_lesson_video_plays_it_with_the_network_off_and_removes_it()
    {
        Output();
        var field = await FieldAsync();
        var trainee = field.Trainees[2];

        // The office records a short WebM (VP8: every chromium plays it) and uploads it; a lesson names its path.
        var webm = await RecordWebmAsync();
        using var office = fixture.Suite.CreateGatewayClient();
        using var body = new ByteArrayContent(webm);
        body.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
        using var uploaded = await office.PostAsync($"/api/v1/programmes/{field.ProgrammeId}/videos?requestId={Guid.NewGuid()}", body);
        var answer = JsonNode.Parse(await uploaded.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, answer.ToJsonString());
        var videoUrl = answer.Str("url");
        Assert.StartsWith("/api/v1/videos/", videoUrl, StringComparison.Ordinal);
        var rest = new RestClient(office, new Bimtek.Suite.TestOutputWriter(output));
        var lesson = await rest.PostAsync("add lesson", $"/api/v1/programmes/{field.ProgrammeId}/lessons", new JsonObject
        {
            ["title"] = "Memakai APD dengan benar (video kantor)",
            ["videoUrl"] = videoUrl,
            ["durationSeconds"] = 3,
            ["productStep"] = "pemakaian",
        }, CancellationToken.None);
        var lessonId = lesson.Required("lessonId", "add lesson");
        // The video is the programme's people's only: an anonymous caller gets 401.
        using (var anonymous = new HttpClient { BaseAddress = fixture.Suite.GatewayAddress })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(videoUrl)).StatusCode);
        }

        var page = await NewPhoneAsync();
        await SignInTraineeAsync(page, trainee);
        await WaitForServiceWorkerAsync(page);
        await page.ClickAsync("nav a[href='#/lessons']");
        var item = page.Locator($"li[data-lesson-id='{lessonId}']");
        var video = item.Locator("video");
        await Assertions.Expect(video).ToBeVisibleAsync(new() { Timeout = Timeout });

        // Online, not kept: the player streams it from the suite (the worker adds the token a <video> cannot send).
        await PlaysAsync(video, "online, streamed");
        Assert.Equal(0, await KeptBytesAsync(page, videoUrl));

        // Keep for offline: the whole video in the phone's cache, its size shown.
        await item.Locator("[data-action=keep-offline]").ClickAsync();
        await Assertions.Expect(item.Locator(".keep-offline[data-kept]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(item.Locator(".kept-status")).ToContainTextAsync("MB");
        await Assertions.Expect(item.Locator("[data-action=remove-offline]")).ToBeVisibleAsync();
        Assert.Equal(webm.Length, await KeptBytesAsync(page, videoUrl));

        // Network off: the player loads it afresh and plays it from the phone.
        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(page.Locator("#net.off")).ToBeVisibleAsync();
        await video.EvaluateAsync("v => { v.pause(); v.load(); }");
        await PlaysAsync(video, "offline, kept");

        // Reopened with the network still off (the app shell, the last lesson list and the video all from the phone).
        await page.ReloadAsync();
        await page.ClickAsync("nav a[href='#/lessons']");
        var reopened = page.Locator($"li[data-lesson-id='{lessonId}'] video");
        await Assertions.Expect(reopened).ToBeVisibleAsync(new() { Timeout = Timeout });
        await PlaysAsync(reopened, "offline, after reopening the app");

        // Remove: the space is freed, and the button to keep it is back.
        var kept = page.Locator($"li[data-lesson-id='{lessonId}']");
        await kept.Locator("[data-action=remove-offline]").ClickAsync();
        await Assertions.Expect(kept.Locator("[data-action=keep-offline]")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(kept.Locator(".keep-offline[data-kept]")).ToHaveCountAsync(0);
        Assert.Equal(0, await KeptBytesAsync(page, videoUrl));
        await page.Context.SetOfflineAsync(false);
        await page.Context.CloseAsync();
    }

    /// <summary>Muted playback (no gesture needed) until the element has frames (readyState ≥ 2) and time has moved past 0.5 s.</summary>
    private static async Task PlaysAsync(ILocator video, string when)
    {
        var state = await video.EvaluateAsync<string>("""
            v => new Promise((resolve) => {
              v.muted = true;
              const started = Date.now();
              const report = () => `currentTime ${v.currentTime}, readyState ${v.readyState}, networkState ${v.networkState}, error ${v.error ? v.error.code + ' ' + v.error.message : 'none'}`;
              v.play().catch(() => {});
              const check = () => {
                if (v.readyState >= 2 && v.currentTime > 0.5) { v.pause(); resolve('ok ' + report()); }
                else if (Date.now() - started > 30000) { resolve('stuck ' + report()); }
                else { setTimeout(check, 100); }
              };
              check();
            })
            """);
        Assert.True(state.StartsWith("ok", StringComparison.Ordinal), $"The lesson video did not play ({when}): {state}");
    }

    /// <summary>The length of the copy kept in the field app's video cache (0 when none).</summary>
    private static async Task<long> KeptBytesAsync(IPage page, string videoUrl) =>
        await page.EvaluateAsync<long>("""
            async (url) => {
              const cache = await caches.open('bimtek-field-videos');
              const hit = await cache.match(new URL(url, location.origin).toString());
              return hit ? (await hit.blob()).size : 0;
            }
            """, videoUrl);

    /// <summary>
    /// A 3-second WebM (VP8) made by the browser itself: a canvas whose colour changes every frame, recorded with
    /// MediaRecorder. No video tool is needed on the machine, and the codec is one every chromium build plays.
    /// </summary>
    private async Task<byte[]> RecordWebmAsync()
    {
        var context = await fixture.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var bytes = await page.EvaluateAsync<int[]>("""
                async () => {
                  const canvas = document.createElement('canvas');
                  canvas.width = 160; canvas.height = 120;
                  document.body.append(canvas);
                  const g = canvas.getContext('2d');
                  let frame = 0;
                  const draw = () => {
                    g.fillStyle = `hsl(${(frame * 17) % 360} 80% 50%)`;
                    g.fillRect(0, 0, 160, 120);
                    g.fillStyle = '#fff';
                    g.fillText('APD ' + frame++, 10, 60);
                  };
                  draw();
                  const type = ['video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
                  const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: type });
                  const chunks = [];
                  recorder.ondataavailable = (e) => { if (e.data.size > 0) chunks.push(e.data); };
                  const timer = setInterval(draw, 66);
                  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
                  recorder.start(250);
                  await new Promise((resolve) => setTimeout(resolve, 3000));
                  recorder.stop();
                  await stopped;
                  clearInterval(timer);
                  return Array.from(new Uint8Array(await new Blob(chunks).arrayBuffer()));
                }
                """);
            Assert.True(bytes.Length > 1000, $"the recorder made {bytes.Length} bytes");
            return bytes.Select(b => (byte)b).ToArray();
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
