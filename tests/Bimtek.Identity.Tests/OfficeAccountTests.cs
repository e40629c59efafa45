using System.Net;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bimtek.Identity.Tests;

/// <summary>
/// Operators of other offices: the province's operator creates (invites) an operator or staff account for one of its
/// district offices, whose tokens then carry that office; a district's operator creates accounts for its own office
/// only, and another office's operator account is to it what an unknown subject is.
/// </summary>
public sealed class OfficeAccountTests
{
    private const string Province = "DISPERIN-KALSEL";
    private const string Hsu = "DISPERINDAGKOP-HSU";
    private const string Hst = "DISPERINDAG-HST";
    private const string Password = "sasirangan2020";

    private static Dictionary<string, string?> Offices { get; } = new()
    {
        ["Offices:Default"] = Hsu,
        ["Offices:Provinces:" + Province + ":0"] = Hsu,
        ["Offices:Provinces:" + Province + ":1"] = Hst,
    };

    [Theory, BothDatabases]
    public async Task The_province_invites_a_districts_operator_whose_token_carries_that_office_and_a_district_cannot(DatabaseKind db)
    {
        await using var identity = await IdentityHarness.StartAsync(db, "offices", Offices);
        var province = OperatorOf(identity, Province);
        var hsu = OperatorOf(identity, Hsu);

        // The province creates HST's first operator and invites them; they set a password and sign in as HST's operator.
        var invitation = await province.IssueInvitationAsync(NewOperator("operator-hst-1", "fitri@hst.example", Hst));
        Assert.Equal("operator-hst-1", invitation.Subject);
        var browser = identity.NewBrowser("10.8.8.8");
        var page = await browser.GetAsync(new Uri(invitation.Url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(HttpStatusCode.Redirect,
            (await browser.PostFormAsync("/account/invitation", page.Html, new() { ["Password"] = Password, ["Confirm"] = Password })).Status);
        var signIn = identity.NewBrowser();
        var tokens = await IdentityHarness.CodeFlowAsync(signIn, TokenTests.WithPassword(signIn, "fitri@hst.example", Password));
        var jwt = new JsonWebToken(tokens.AccessToken);
        Assert.Equal("operator-hst-1", jwt.Subject);
        Assert.Equal([Roles.Operator], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.Equal(Hst, jwt.GetClaim("office").Value);

        // HST's operator creates an instructor of HST (their own office, named or by default).
        var hst = OperatorOf(identity, Hst);
        var instructor = NewOperator("instructor-hst-1", "nur@hst.example", "");
        instructor.Role = AccountRole.Instructor;
        Assert.Equal("instructor-hst-1", (await hst.IssueInvitationAsync(instructor)).Subject);

        // A district's operator creates nothing for another district or the province, and nothing is created.
        await FailsAsync(StatusCode.PermissionDenied, hsu.IssueInvitationAsync(NewOperator("operator-hst-2", "x@hst.example", Hst)));
        await FailsAsync(StatusCode.PermissionDenied, hsu.IssueInvitationAsync(NewOperator("operator-kalsel-2", "y@kalsel.example", Province)));
        await FailsAsync(StatusCode.PermissionDenied, hst.IssueInvitationAsync(NewOperator("operator-kalsel-3", "z@kalsel.example", Province)));
        await FailsAsync(StatusCode.NotFound, province.IssueInvitationAsync(new IssueInvitationRequest { RequestId = NewId(), Subject = "operator-hst-2" }));
        // Nor can it re-invite (take over) another office's operator: that account is to it what an unknown subject is.
        var foreign = await FailsAsync(StatusCode.NotFound, hsu.IssueInvitationAsync(new IssueInvitationRequest { RequestId = NewId(), Subject = "operator-hst-1" }));
        var unknown = await FailsAsync(StatusCode.NotFound, hsu.IssueInvitationAsync(new IssueInvitationRequest { RequestId = NewId(), Subject = "operator-nobody" }));
        Assert.Equal(unknown.Status.Detail.Replace("operator-nobody", "{}", StringComparison.Ordinal), foreign.Status.Detail.Replace("operator-hst-1", "{}", StringComparison.Ordinal));
        // ...and naming fields of a new account does not get around it.
        await FailsAsync(StatusCode.NotFound, hsu.IssueInvitationAsync(NewOperator("operator-hst-1", "fitri@hst.example", Hsu)));
        // The province and HST itself do re-invite HST's operator.
        Assert.Equal("operator-hst-1", (await province.IssueInvitationAsync(new IssueInvitationRequest { RequestId = NewId(), Subject = "operator-hst-1" })).Subject);
        Assert.Equal("operator-hst-1", (await hst.IssueInvitationAsync(new IssueInvitationRequest { RequestId = NewId(), Subject = "operator-hst-1" })).Subject);

        // Trainees' and recipients' accounts come from participants and distribution, not from an invitation.
        var trainee = NewOperator("trainee-1", "t@hst.example", Hst);
        trainee.Role = AccountRole.Trainee;
        await FailsAsync(StatusCode.InvalidArgument, province.IssueInvitationAsync(trainee));
        // Only operators invite.
        await FailsAsync(StatusCode.PermissionDenied, identity.As("instructor-hst-1", Roles.Instructor).IssueInvitationAsync(NewOperator("operator-hst-9", "q@hst.example", Hst)));
    }

    private static IdentityService.IdentityServiceClient OperatorOf(IdentityHarness identity, string office) =>
        identity.Host.Client<IdentityService.IdentityServiceClient>(TestTokens.OperatorOf(office, "operator-of-" + office));

    private static IssueInvitationRequest NewOperator(string subject, string email, string office) => new()
    {
        RequestId = NewId(),
        Subject = subject,
        Role = AccountRole.Operator,
        Name = "Operator " + subject,
        Email = email,
        Office = office,
    };

    private static string NewId() => Guid.NewGuid().ToString();

    private static async Task<RpcException> FailsAsync<T>(StatusCode code, AsyncUnaryCall<T> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.True(code == error.StatusCode, $"Expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }
}
