using System.Text.RegularExpressions;
using Bimtek.Scenarios.Rest;
using Bimtek.Suite;
using Microsoft.Playwright;

namespace Bimtek.Dashboard.Tests;

/// <summary>
/// The people of a programme act themselves, signed in through the identity service (an invitation sets their
/// password and signs them in): a health expert signs off PPE, a recipient's user confirms a handover. And a 401
/// ends the session cleanly.
/// </summary>
public sealed partial class DashboardTests
{
    private const string Password = "Sasirangan-2020";

    [Fact]
    public async Task A_health_expert_accepts_an_invitation_and_signs_off_a_PPE_inspection_from_the_programme_page()
    {
        Output();
        var url = await fixture.InvitationUrlAsync(fixture.HealthExpertSubject);
        var page = await fixture.NewPageAsync();
        await SetPasswordAsync(page, url);

        await page.EvaluateAsync("hash => { location.hash = hash; }", "#/programmes/" + fixture.SignOffProgrammeId);
        var item = page.Locator($"#sign-off li[data-inspection-id='{fixture.AwaitingInspectionId}']");
        await Assertions.Expect(item.Locator("button.sign-off")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await item.Locator("button.sign-off").ClickAsync();
        await Assertions.Expect(item).ToHaveClassAsync(new Regex(@"\bdone\b"), new() { Timeout = Timeout });
        output.WriteLine("Sign-off result: " + await item.InnerTextAsync());

        // The health expert's own token did it: production records them as the one who signed off.
        var inspection = await OperatorApi().Rest.GetAsync("read inspection", "/api/v1/inspections/" + fixture.AwaitingInspectionId, default);
        Assert.Equal("INSPECTION_STATUS_SIGNED_OFF", inspection.Str("status"));
        Assert.Equal(2, inspection.Int("acceptedUnits"));
        Assert.Equal(fixture.HealthExpertId, inspection["signOff"].Str("healthExpertId"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_recipients_user_accepts_an_invitation_and_confirms_the_handover_to_their_agency_only()
    {
        Output();
        var url = await fixture.InvitationUrlAsync(fixture.RecipientSubject);
        var page = await fixture.NewPageAsync(390, 844);
        await SetPasswordAsync(page, url);

        // A recipient's user lands on their agency's handovers; the PPE programme's handover to another agency is not there.
        var items = page.Locator("#my-handovers li[data-handover-id]");
        await Assertions.Expect(items).ToHaveCountAsync(1, new() { Timeout = Timeout });
        var item = page.Locator($"#my-handovers li[data-handover-id='{fixture.RecipientHandoverId}']");
        Assert.DoesNotContain(fixture.Ppe.HandoverId, await page.Locator("main").InnerHTMLAsync(), StringComparison.Ordinal);
        await item.Locator("button.confirm-handover").ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "HANDOVER_STATUS_CONFIRMED", new() { Timeout = Timeout });
        output.WriteLine("Confirmation: " + await item.InnerTextAsync());

        var handover = await OperatorApi().GetHandoverAsync(fixture.RecipientHandoverId, default);
        Assert.Equal("HANDOVER_STATUS_CONFIRMED", handover.Str("status"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_401_ends_the_session_and_a_reload_stays_on_the_sign_in_page()
    {
        Output();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#sign-in-account");
        await page.WaitForURLAsync(new Regex("/account/signin"), new() { Timeout = Timeout });
        await page.FillAsync("input[name=Name]", SuiteSecrets.OperatorEmail);
        await page.FillAsync("input[name=Password]", fixture.Suite.Secrets.OperatorPassword);
        await page.ClickAsync("form[action='/account/signin'] button[type=submit]");
        await Assertions.Expect(page.Locator("#sign-out")).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.Equal("1", await page.EvaluateAsync<string?>("() => sessionStorage.getItem('bimtek.oidc.used')"));

        // The gateway stops accepting the token (as after the account is disabled and the token has expired).
        await page.RouteAsync("**/api/v1/**", route => route.FulfillAsync(new()
        {
            Status = 401,
            ContentType = "application/json",
            Body = """{"code":16,"message":"The token is no longer valid."}""",
        }));
        await page.EvaluateAsync("hash => { location.hash = hash; }", "#/programmes/" + fixture.OwnProgrammeId);
        await Assertions.Expect(page.Locator("#sign-in-account")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("p.error[role=alert]").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("#sign-out").IsHiddenAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('bimtek.oidc.used')"));

        // A reload shows the sign-in page again instead of signing the tab in at once through identity's session
        // (the page renders the sign-in forms only after deciding not to redirect to identity).
        await page.UnrouteAllAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#sign-in-account")).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.StartsWith(fixture.Suite.GatewayAddress.ToString().TrimEnd('/'), page.Url, StringComparison.Ordinal);
        Assert.True(await page.Locator("#sign-out").IsHiddenAsync());
        await page.Context.CloseAsync();
    }

    /// <summary>The invitation page: a new password, then identity signs the person in and sends them to the dashboard.</summary>
    private async Task SetPasswordAsync(IPage page, string invitationUrl)
    {
        await page.GotoAsync(invitationUrl);
        await page.FillAsync("input[name=Password]", Password);
        await page.FillAsync("input[name=Confirm]", Password);
        await page.ClickAsync("form[action='/account/invitation'] button[type=submit]");
        await Assertions.Expect(page.Locator("#sign-out")).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.StartsWith(fixture.Suite.GatewayAddress.ToString().TrimEnd('/'), page.Url, StringComparison.Ordinal);
    }

    private SuiteApi OperatorApi() => new(new RestClient(fixture.Suite.CreateGatewayClient(), new TestOutputWriter(output)));
}
