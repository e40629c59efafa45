using System.Net;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bimtek.Identity.Tests;

/// <summary>The failure cases of signing in, each with its exact answer; on SQLite and on PostgreSQL.</summary>
[Trait("Category", "Integration")]
public sealed class SignInTests
{
    private const string Password = "sasirangan2020";

    [Theory, BothDatabases]
    public async Task Wrong_password_five_times_locks_the_account_with_its_message(DatabaseKind db)
    {
        await using var identity = await IdentityHarness.StartAsync(db, "lockout");
        await identity.StaffWithPasswordAsync("instructor-rina", AccountRole.Instructor, "rina@hsu.example", Password);
        var browser = identity.NewBrowser();
        var page = await browser.GetAsync("/account/signin");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await browser.PostFormAsync("/account/signin", page.Html, new() { ["Name"] = "rina@hsu.example", ["Password"] = "wrong-password-1" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
            Assert.Contains("Nama atau kata sandi salah.", wrong.Html, StringComparison.Ordinal);
        }
        var fifth = await browser.PostFormAsync("/account/signin", page.Html, new() { ["Name"] = "rina@hsu.example", ["Password"] = "wrong-password-1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.Status);
        Assert.Contains("Akun dikunci sementara karena terlalu banyak percobaan yang salah. Coba lagi dalam 15 menit.", fifth.Html, StringComparison.Ordinal);
        Assert.NotNull(fifth.Message.Headers.RetryAfter);

        // Locked means locked: the right password does not help until the lockout ends.
        var right = await browser.PostFormAsync("/account/signin", page.Html, new() { ["Name"] = "rina@hsu.example", ["Password"] = Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
    }

    [Fact]
    public async Task The_lockout_message_is_in_English_on_request()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "lockout-en",
            new Dictionary<string, string?> { ["Identity:MaxFailedPasswordAttempts"] = "1" });
        await identity.StaffWithPasswordAsync("expert-dewi", AccountRole.HealthExpert, "dewi@puskesmas.example", Password);
        var browser = identity.NewBrowser();
        var page = await browser.GetAsync("/account/signin?lang=en");
        var locked = await browser.PostFormAsync("/account/signin", page.Html, new() { ["Name"] = "dewi@puskesmas.example", ["Password"] = "nope-nope-1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Contains("This account is locked for a while after too many failed attempts. Try again in 15 minutes.", locked.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "antiforgery");
        await identity.StaffWithPasswordAsync("instructor-rina", AccountRole.Instructor, "rina@hsu.example", Password);
        var browser = identity.NewBrowser();
        var page = await browser.GetAsync("/account/signin");
        var forged = await browser.PostFormAsync("/account/signin", page.Html, new() { ["Name"] = "rina@hsu.example", ["Password"] = Password }, withAntiforgery: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example")]
    public async Task Signing_in_never_redirects_off_the_service(string returnUrl)
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "open-redirect");
        await identity.StaffWithPasswordAsync("instructor-rina", AccountRole.Instructor, "rina@hsu.example", Password);
        var browser = identity.NewBrowser();
        var page = await browser.GetAsync("/account/signin");
        var signedIn = await browser.PostFormAsync("/account/signin", page.Html,
            new() { ["Name"] = "rina@hsu.example", ["Password"] = Password, ["ReturnUrl"] = returnUrl });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal("/account/signed-in", signedIn.Location);
    }

    [Theory, BothDatabases]
    public async Task Expired_reused_and_foreign_codes_are_refused(DatabaseKind db)
    {
        await using var identity = await IdentityHarness.StartAsync(db, "codes");
        await identity.AccountAsync("trainee-ani", AccountRole.Trainee, phone: "0812-1111-0001");
        await identity.AccountAsync("trainee-budi", AccountRole.Trainee, phone: "0812-1111-0002");
        var refused = "Kode tidak berlaku. Minta kode baru kepada instruktur Anda.";

        // Foreign: Ani's code typed with Budi's number.
        var aniCode = await identity.IssueCodeAsync("trainee-ani");
        var budi = identity.NewBrowser("10.0.0.2");
        var page = await budi.GetAsync("/account/code");
        var foreign = await budi.PostFormAsync("/account/code", page.Html, new() { ["Name"] = "0812-1111-0002", ["Code"] = aniCode });
        Assert.Equal(HttpStatusCode.Unauthorized, foreign.Status);
        Assert.Contains(refused, foreign.Html, StringComparison.Ordinal);

        // Ani's own use succeeds (the foreign attempt did not spend it)…
        var ani = identity.NewBrowser("10.0.0.3");
        page = await ani.GetAsync("/account/code");
        var used = await ani.PostFormAsync("/account/code", page.Html, new() { ["Name"] = "+6281211110001", ["Code"] = aniCode });
        Assert.Equal(HttpStatusCode.Redirect, used.Status);

        // …and a second use is refused.
        var again = identity.NewBrowser("10.0.0.4");
        page = await again.GetAsync("/account/code");
        var reused = await again.PostFormAsync("/account/code", page.Html, new() { ["Name"] = "0812-1111-0001", ["Code"] = aniCode });
        Assert.Equal(HttpStatusCode.Unauthorized, reused.Status);
        Assert.Contains(refused, reused.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "code-expiry",
            new Dictionary<string, string?> { ["Identity:SignInCodeLifetime"] = "00:00:01" });
        await identity.AccountAsync("trainee-ani", AccountRole.Trainee, phone: "0812-1111-0001");
        var code = await identity.IssueCodeAsync("trainee-ani");
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        var browser = identity.NewBrowser();
        var page = await browser.GetAsync("/account/code");
        var expired = await browser.PostFormAsync("/account/code", page.Html, new() { ["Name"] = "0812-1111-0001", ["Code"] = code });
        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
        Assert.Contains("Kode tidak berlaku. Minta kode baru kepada instruktur Anda.", expired.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guessing_codes_at_speed_is_stopped_with_429_long_before_a_guess_could_succeed()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "code-guessing");
        await identity.AccountAsync("trainee-ani", AccountRole.Trainee, phone: "0812-1111-0001");
        var real = await identity.IssueCodeAsync("trainee-ani");
        var wrong = real == "0000-0000" ? "0000-0001" : "0000-0000";
        var browser = identity.NewBrowser();
        var page = await browser.GetAsync("/account/code");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add((await browser.PostFormAsync("/account/code", page.Html, new() { ["Name"] = "0812-1111-0001", ["Code"] = wrong })).Status);
        }
        // Five tries per person in 15 minutes out of 10^8 codes: the sixth is already refused.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], answers);
        // Even the right code now waits: the person's window is used up (from another address too).
        var other = identity.NewBrowser("10.0.0.99");
        page = await other.GetAsync("/account/code");
        var limited = await other.PostFormAsync("/account/code", page.Html, new() { ["Name"] = "0812-1111-0001", ["Code"] = real });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("Terlalu banyak percobaan. Coba lagi dalam 15 menit.", limited.Html, StringComparison.Ordinal);
        Assert.True(limited.Message.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14));
    }

    [Fact]
    public async Task One_address_trying_many_people_is_rate_limited()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "address-limit",
            new Dictionary<string, string?> { ["Identity:Limits:AttemptsPerAddress"] = "10" });
        var browser = identity.NewBrowser();
        var page = await browser.GetAsync("/account/code");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            answers.Add((await browser.PostFormAsync("/account/code", page.Html, new() { ["Name"] = $"0812-2222-{i:0000}", ["Code"] = "1234-5678" })).Status);
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 10), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)], answers);
    }

    [Fact]
    public async Task Issuing_codes_is_for_operators_and_instructors_and_for_trainees_only()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "issue-access");
        await identity.AccountAsync("trainee-ani", AccountRole.Trainee);
        await identity.AccountAsync("expert-dewi", AccountRole.HealthExpert);
        var denied = await Assert.ThrowsAsync<RpcException>(() => identity.IssueCodeAsync("trainee-ani", identity.As("trainee-budi", Roles.Trainee)));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var staff = await Assert.ThrowsAsync<RpcException>(() => identity.IssueCodeAsync("expert-dewi"));
        Assert.Equal(StatusCode.FailedPrecondition, staff.StatusCode);

        var card = await identity.As("instructor-rina", Roles.Instructor).IssueSignInCodeAsync(new IssueSignInCodeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Subject = "trainee-ani",
        });
        Assert.Matches("^[0-9]{4}-[0-9]{4}$", card.Code);
        Assert.StartsWith("http://localhost/account/code?u=trainee-ani&c=", card.SignInUrl, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, card.QrPng.ToByteArray()[..4]);
    }

    [Fact]
    public async Task Too_many_codes_for_one_trainee_is_RESOURCE_EXHAUSTED_and_a_retried_request_never_shows_a_code_twice()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "issue-limit");
        await identity.AccountAsync("trainee-ani", AccountRole.Trainee);
        var request = new IssueSignInCodeRequest { RequestId = Guid.NewGuid().ToString(), Subject = "trainee-ani" };
        await identity.Operator.IssueSignInCodeAsync(request);
        var retried = await Assert.ThrowsAsync<RpcException>(async () => await identity.Operator.IssueSignInCodeAsync(request));
        Assert.Equal(StatusCode.AlreadyExists, retried.StatusCode);
        for (var i = 0; i < 3; i++)
        {
            await identity.IssueCodeAsync("trainee-ani");
        }
        var limited = await Assert.ThrowsAsync<RpcException>(() => identity.IssueCodeAsync("trainee-ani"));
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
    }

    [Fact]
    public async Task A_disabled_staff_account_cannot_sign_in()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "disabled-staff");
        await identity.StaffWithPasswordAsync("instructor-rina", AccountRole.Instructor, "rina@hsu.example", Password);
        await identity.AccountAsync("instructor-rina", AccountRole.Instructor, active: false);
        var browser = identity.NewBrowser();
        var page = await browser.GetAsync("/account/signin");
        var refused = await browser.PostFormAsync("/account/signin", page.Html, new() { ["Name"] = "rina@hsu.example", ["Password"] = Password });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("Akun ini tidak aktif. Hubungi kantor dinas.", refused.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invitation_works_once()
    {
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, "invitation");
        await identity.AccountAsync("recipient-rahmadi", AccountRole.Recipient, email: "rahmadi@bpbd.example");
        var invitation = await identity.Operator.IssueInvitationAsync(new IssueInvitationRequest { RequestId = Guid.NewGuid().ToString(), Subject = "recipient-rahmadi" });
        var browser = identity.NewBrowser();
        var url = new Uri(invitation.Url).PathAndQuery;
        var page = await browser.GetAsync(url);
        var weak = await browser.PostFormAsync("/account/invitation", page.Html, new() { ["Password"] = "short", ["Confirm"] = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.Status);
        var set = await browser.PostFormAsync("/account/invitation", page.Html, new() { ["Password"] = Password, ["Confirm"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, set.Status);
        var again = await identity.NewBrowser("10.0.0.7").GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Contains("Undangan ini tidak berlaku lagi. Minta undangan baru kepada operator.", again.Html, StringComparison.Ordinal);
        var trainee = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await identity.AccountAsync("trainee-ani", AccountRole.Trainee);
            await identity.Operator.IssueInvitationAsync(new IssueInvitationRequest { RequestId = Guid.NewGuid().ToString(), Subject = "trainee-ani" });
        });
        Assert.Equal(StatusCode.FailedPrecondition, trainee.StatusCode);
    }

    internal static JsonWebToken Read(string token) => new(token);
}
