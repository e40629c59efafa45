using System.Text.RegularExpressions;
using Bimtek.Suite;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>People sign in through the identity service (code + PKCE), not with the operator's key.</summary>
public sealed partial class DashboardTests
{
    [Fact]
    public async Task An_operator_signs_in_with_a_password_and_issues_a_code_the_trainee_signs_in_with_it_on_a_phone_and_sign_out_ends_the_session()
    {
        Output();
        var (aId, aName, _) = fixture.TraineeA;
        var (_, bName, _) = fixture.TraineeB;

        // The operator: the dashboard sends them to the identity service's page and back with tokens in memory.
        var office = await fixture.NewPageAsync();
        await office.GotoAsync("/");
        await office.ClickAsync("#sign-in-account");
        await office.WaitForURLAsync(new Regex("/account/signin"), new() { Timeout = Timeout });
        await office.FillAsync("input[name=Name]", SuiteSecrets.OperatorEmail);
        await office.FillAsync("input[name=Password]", fixture.Suite.Secrets.OperatorPassword);
        await office.ClickAsync("form[action='/account/signin'] button[type=submit]");
        await Assertions.Expect(office.Locator("#sign-out")).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.StartsWith(fixture.Suite.GatewayAddress.ToString().TrimEnd('/'), office.Url, StringComparison.Ordinal);
        // Tokens in memory only: nothing token-like in the tab's storage.
        var stored = await office.EvaluateAsync<string>("() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage })");
        Assert.DoesNotContain("eyJ", stored, StringComparison.Ordinal);

        // A one-time code for trainee A from the programme page (shown once, with its QR card).
        await office.EvaluateAsync("hash => { location.hash = hash; }", "#/programmes/" + fixture.OwnProgrammeId);
        var item = office.Locator($"li.trainee[data-trainee-id='{aId}']");
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = Timeout });
        await item.Locator("button.issue-code").ClickAsync();
        await Assertions.Expect(item.Locator(".sign-in-code strong.code, .sign-in-code p.error, .sign-in-code p.muted").First)
            .ToBeVisibleAsync(new() { Timeout = Timeout });
        output.WriteLine("Code result: " + await item.Locator(".sign-in-code").InnerTextAsync());
        await Assertions.Expect(item.Locator(".sign-in-code strong.code")).ToHaveTextAsync(new Regex(@"^\d{4}-\d{4}$"), new() { Timeout = Timeout });
        await Assertions.Expect(item.Locator(".sign-in-code img.qr")).ToBeVisibleAsync();
        var link = await item.Locator("a.code-link").GetAttributeAsync("href");
        Assert.NotNull(link);
        await office.Context.CloseAsync();

        // The trainee, on a phone: the QR card's link, one tap, and their own page.
        var phone = await fixture.NewPageAsync(390, 844);
        await phone.GotoAsync(link);
        await phone.ClickAsync("form[action='/account/code'] button[type=submit]");
        await Assertions.Expect(phone.Locator("#trainee-name")).ToHaveTextAsync(aName, new() { Timeout = Timeout });
        Assert.DoesNotContain(bName, await phone.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        // Sign-out ends the identity service's session too: signing in again asks for a code or password.
        await phone.ClickAsync("#sign-out");
        await Assertions.Expect(phone.Locator("#sign-in-account")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await phone.ClickAsync("#sign-in-account");
        await phone.WaitForURLAsync(new Regex("/account/signin"), new() { Timeout = Timeout });
        await Assertions.Expect(phone.Locator("input[name=Password]")).ToBeVisibleAsync();
        await phone.Context.CloseAsync();
    }
}
