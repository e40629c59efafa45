using System.Net;
using System.Text.Json.Nodes;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Rest;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>Names the API accepts, written to hurt the page: a right-to-left override, a name without break points.</summary>
public sealed partial class DashboardTests
{
    private const string RightToLeftOverride = "\u202E";

    [Fact]
    public async Task Hostile_names_at_360_px_stay_isolated_and_wrap_and_docs_carry_the_pages_headers()
    {
        Output();
        using var http = fixture.Suite.CreateGatewayClient();
        var api = new SuiteApi(new RestClient(http, new TestOutputWriter(output)));
        var ct = CancellationToken.None;
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // An unterminated override in the title: without isolation it reverses the dates that follow it.
        var title = "APD " + RightToLeftOverride + "jahit " + suffix;
        var programme = await api.CreateProgrammeAsync(new JsonObject
        {
            ["code"] = "HOSTILE-" + suffix,
            ["title"] = title,
            ["productCode"] = Mask2020.ProductCode,
            ["organisers"] = Json.Strings(["Disperindagkop-UKM HSU"]),
            ["district"] = ProgrammeSpec.District,
            ["province"] = ProgrammeSpec.Province,
            ["mode"] = "PROGRAMME_MODE_ONLINE_HOME_BASED",
            ["startDay"] = Json.Date(today.AddDays(-1)),
            ["endDay"] = Json.Date(today.AddDays(8)),
            ["timeZone"] = ProgrammeSpec.TimeZone,
            ["capacity"] = 2,
            ["targetQuantity"] = 10,
        }, ct);
        var programmeId = programme.Required("programmeId", "create programme");
        await new Steps(api, ScenarioOptions.Default).StaffAsync(programmeId, "STAFF_KIND_INSTRUCTOR", "STAFF_ROLE_INSTRUCTOR", "Instruktur", "Disperindagkop-UKM HSU", ct);
        var longName = "Nurulhidayahbintiabdurrahmansungaikariasamuntaihulusungaiutarakalimantanselatan" + suffix;
        var rtlName = "Siti " + RightToLeftOverride + "Aminah " + suffix;
        var subject = "hostile-" + suffix;
        foreach (var (name, login) in new[] { (rtlName, subject), (longName, "") })
        {
            var person = await api.RegisterTraineeAsync(new JsonObject
            {
                ["name"] = name,
                ["birthYear"] = 1994,
                ["village"] = "Sungai Karias",
                ["district"] = ProgrammeSpec.District,
                ["subject"] = login,
            }, ct);
            await api.EnrolAsync(programmeId, person.Required("personId", "register trainee"), ct);
        }
        await api.ActivateProgrammeAsync(programmeId, ct);

        // The office at 360 px: the list and the programme page stay inside the screen.
        var page = await fixture.NewPageAsync(360, 740);
        await fixture.SignInAsOperatorAsync(page);
        await page.GotoAsync("/#/programmes");
        await Assertions.Expect(page.Locator($"tr[data-programme-id='{programmeId}']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await AssertFitsAsync(page, 360, "programmes list");
        await page.GotoAsync("/#/programmes/" + programmeId);
        await Assertions.Expect(page.Locator("#progress li.trainee")).ToHaveCountAsync(2, new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#progress h3 bdi").Filter(new() { HasText = longName })).ToBeVisibleAsync();
        await AssertFitsAsync(page, 360, "programme page");
        var box = await page.Locator("#progress h3 bdi").Filter(new() { HasText = longName }).BoundingBoxAsync();
        Assert.True(box is not null && box.X + box.Width <= 360, $"the long name ends at {box?.X + box?.Width} px");
        // Every name sits in its own isolate.
        foreach (var name in new[] { rtlName, longName })
        {
            var bidi = await page.Locator("#progress h3 bdi").Filter(new() { HasText = name }).EvaluateAsync<string>("e => getComputedStyle(e).unicodeBidi + '|' + e.textContent");
            Assert.Equal("isolate|" + name, bidi);
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(fixture.ArtifactDirectory, "hostile-programme-360.png"), FullPage = true });
        await page.Context.CloseAsync();

        // The trainee's page: the dates after the overridden title read left to right; the same text without the
        // isolate (a control paragraph built in the page) does come out reversed, so the check can fail.
        var phone = await fixture.NewPageAsync(360, 740);
        await DashboardFixture.SignInAsync(phone, "bearer", fixture.TraineeToken(subject));
        await Assertions.Expect(phone.Locator("#trainee-name")).ToHaveTextAsync(rtlName, new() { Timeout = Timeout });
        await Assertions.Expect(phone.Locator("p.programme-line")).ToBeVisibleAsync(new() { Timeout = Timeout });
        var order = await phone.EvaluateAsync<double[]>(OrderScript, "p.programme-line");
        output.WriteLine($"isolated: first digit at {order[0]}, last at {order[1]}; control: {order[2]}, {order[3]}");
        Assert.True(order[0] < order[1], "the dates after the title are reversed");
        Assert.True(order[2] > order[3], "the control without an isolate was not reversed: the check proves nothing");
        await AssertFitsAsync(phone, 360, "trainee page");
        await phone.Context.CloseAsync();

        // /docs: the same Content-Security-Policy and nosniff as the dashboard, and the UI still works under them.
        using var anonymous = new HttpClient { BaseAddress = fixture.Suite.GatewayAddress };
        using var dashboard = await anonymous.GetAsync("/");
        var policy = dashboard.Headers.GetValues("Content-Security-Policy").Single();
        foreach (var path in new[] { "/docs/index.html", "/docs/index.js", "/docs/swagger-ui.css" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: HTTP {(int)response.StatusCode}");
            Assert.Equal(policy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
        var docs = await fixture.NewPageAsync(360, 740);
        var violations = new List<string>();
        docs.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };
        await docs.GotoAsync("/docs/index.html");
        await Assertions.Expect(docs.Locator(".swagger-ui .info .title")).ToBeVisibleAsync(new() { Timeout = Timeout });
        output.WriteLine($"CSP reports on /docs: {violations.Count}{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(5))}");
        await docs.Context.CloseAsync();
    }

    /// <summary>
    /// The x of the first and last digit of the text after the user text in the element, on one line; and the same for a
    /// control paragraph holding the same characters as plain text (no isolate).
    /// </summary>
    private const string OrderScript = """
        selector => {
          const p = document.querySelector(selector);
          const measure = (node) => {
            const text = node.textContent;
            const digits = [...text].map((c, i) => /\d/.test(c) ? i : -1).filter(i => i >= 0);
            // The first date only ("5 Des 2026"): short enough to sit on one line.
            const first = digits[0];
            const dash = text.indexOf('–');
            const last = Math.max(...digits.filter(i => dash < 0 || i < dash));
            const x = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
            const a = x(first), b = x(last);
            if (Math.abs(a.top - b.top) > 2) { throw new Error('the first date wraps: ' + text); }
            return [a.left, b.left];
          };
          const isolated = measure([...p.childNodes].find(n => n.nodeType === 3 && /\d/.test(n.textContent)));
          const control = document.createElement('p');
          control.className = p.className;
          control.textContent = p.textContent;
          control.style.whiteSpace = 'nowrap';
          p.after(control);
          const dates = p.textContent.slice(p.querySelector('bdi').textContent.length);
          const node = control.firstChild;
          // Measure the control's date part by offset in its single text node.
          const text = node.textContent;
          const offset = text.length - dates.length;
          const digits = [...dates].map((c, i) => /\d/.test(c) ? i + offset : -1).filter(i => i >= 0);
          const dash = text.indexOf('–');
          const firstC = digits[0];
          const lastC = Math.max(...digits.filter(i => dash < 0 || i < dash));
          const rect = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
          const result = [isolated[0], isolated[1], rect(firstC).left, rect(lastC).left];
          control.remove();
          return result;
        }
        """;

    private static async Task AssertFitsAsync(IPage page, int width, string what)
    {
        var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scroll <= width, $"the {what} is {scroll} px wide at {width} px");
    }
}
