using System.Net;
using Bimtek.Identity.V1;
using Bimtek.Testing.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bimtek.Identity.Tests;

/// <summary>
/// One default-office key: identity reads <c>Offices:Default</c> like every service for accounts and systems that name
/// no office; the deprecated <c>Identity:DefaultOffice</c> still counts while <c>Offices:Default</c> is not set, and
/// loses to it when both are.
/// </summary>
public sealed class DefaultOfficeTests
{
    private const string Hst = "DISPERINDAG-HST";
    private const string Hsu = "DISPERINDAGKOP-HSU";

    public static TheoryData<string, string?, string?, string> Settings { get; } = new()
    {
        // (database-name, Offices:Default, Identity:DefaultOffice, expected default office)
        { "offices-key", Hst, null, Hst },
        { "deprecated-key", null, Hst, Hst },
        { "both-keys", Hst, "DISPERIN-KALSEL", Hst },
        { "no-key", null, null, Hsu },
    };

    [Theory, MemberData(nameof(Settings))]
    public async Task Accounts_and_systems_without_an_office_get_Offices_Default(string name, string? officesDefault, string? deprecated, string expected)
    {
        var settings = new Dictionary<string, string?>();
        if (officesDefault is not null)
        {
            settings["Offices:Default"] = officesDefault;
        }
        if (deprecated is not null)
        {
            settings["Identity:DefaultOffice"] = deprecated;
        }
        await using var identity = await IdentityHarness.StartAsync(DatabaseKind.Sqlite, name, settings);

        // An account change that names no office (distribution's recipients' users, data from before offices).
        await identity.AccountAsync("recipient-bpbd-1", AccountRole.Recipient);
        using (var scope = identity.Host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Bimtek.Identity.Data.IdentityDb>();
            Assert.Equal(expected, await db.Users.AsNoTracking().Where(a => a.Subject == "recipient-bpbd-1").Select(a => a.Office).SingleAsync());
        }
        // A system configured without an office: its token says the default office.
        var answer = await identity.NewBrowser().TokenAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = IdentityHarness.SystemClient,
            ["client_secret"] = IdentityHarness.SystemSecret,
        });
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(expected, new JsonWebToken(answer.Tokens.AccessToken).GetClaim("office").Value);
    }
}
