using Bimtek.Identity.V1;
using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Identity.Tests;

/// <summary>
/// The real participants service sends account changes through its outbox to the real identity service:
/// registering a trainee creates the account (subject = person id when none was given), withdrawing them
/// from their only programme disables it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AccountsFollowPeopleTests
{
    [Theory, BothDatabases]
    public async Task A_registered_trainee_gets_an_account_and_loses_it_when_withdrawn(DatabaseKind db)
    {
        await using var identity = await IdentityHarness.StartAsync(db, "follow");
        using var participantsDb = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "participants-follow");
        await using var participants = new ServiceHost<Bimtek.Participants.Program>(participantsDb,
            new Downstream().Route("identity", identity.Host),
            new Dictionary<string, string?>
            {
                ["Participants:SendAccountChanges"] = "true",
                ["Outbox:InitialBackoff"] = "00:00:00.100",
                ["Outbox:MaxBackoff"] = "00:00:00.500",
                ["Outbox:PollInterval"] = "00:00:00.100",
            });
        var office = participants.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.Operator());
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var programme = await office.CreateProgrammeAsync(new CreateProgrammeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Code = "BIMTEK-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
            Title = "Bimtek pembuatan masker kain 3 lapis",
            ProductCode = "MASK-SASIRANGAN-3PLY",
            Organisers = { "Disperindagkop-UKM HSU" },
            District = "Hulu Sungai Utara",
            Province = "Kalimantan Selatan",
            Mode = ProgrammeMode.OnlineHomeBased,
            StartDay = new Google.Type.Date { Year = today.Year, Month = today.Month, Day = today.Day },
            EndDay = new Google.Type.Date { Year = today.AddDays(2).Year, Month = today.AddDays(2).Month, Day = today.AddDays(2).Day },
            TimeZone = "Asia/Makassar",
            Capacity = 5,
            TargetQuantity = 500,
        });
        var trainee = await office.RegisterTraineeAsync(new RegisterTraineeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Name = "Ani",
            BirthYear = 1990,
            Village = "Paliwara",
            District = "Hulu Sungai Utara",
            Phone = "0812-3456-7890",
        });
        Assert.Equal(trainee.PersonId, trainee.Subject);
        var enrolment = await office.EnrolAsync(new EnrolRequest { RequestId = Guid.NewGuid().ToString(), ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId });

        // The account arrives through the outbox: a code can be issued, and the trainee signs in by phone number.
        var code = await EventuallyAsync(async () => await identity.IssueCodeAsync(trainee.Subject));
        var phone = identity.NewBrowser();
        var page = await phone.GetAsync("/account/code");
        var signedIn = await phone.PostFormAsync("/account/code", page.Html, new() { ["Name"] = "+6281234567890", ["Code"] = code });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.Status);

        await office.WithdrawEnrolmentAsync(new WithdrawEnrolmentRequest { RequestId = Guid.NewGuid().ToString(), EnrolmentId = enrolment.EnrolmentId, Reason = "moved away" });
        var refused = await EventuallyAsync(async () =>
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => identity.IssueCodeAsync(trainee.Subject));
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            return error;
        });
        Assert.Contains("disabled", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Accounts_carry_their_programmes_office_and_their_tokens_say_it(DatabaseKind db)
    {
        const string Province = "DISPERIN-KALSEL", Hsu = "DISPERINDAGKOP-HSU", Hst = "DISPERINDAG-HST";
        var offices = new Dictionary<string, string?>
        {
            ["Offices:Default"] = Hsu,
            ["Offices:Provinces:" + Province + ":0"] = Hsu,
            ["Offices:Provinces:" + Province + ":1"] = Hst,
        };
        await using var identity = await IdentityHarness.StartAsync(db, "follow-offices", offices);
        using var participantsDb = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "participants-follow-offices");
        await using var participants = new ServiceHost<Bimtek.Participants.Program>(participantsDb,
            new Downstream().Route("identity", identity.Host),
            new Dictionary<string, string?>(offices)
            {
                ["Participants:SendAccountChanges"] = "true",
                ["Outbox:InitialBackoff"] = "00:00:00.100",
                ["Outbox:MaxBackoff"] = "00:00:00.500",
                ["Outbox:PollInterval"] = "00:00:00.100",
            });
        var hst = participants.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.OperatorOf(Hst, "operator-hst"));
        var province = participants.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.OperatorOf(Province, "operator-kalsel"));
        var programme = await hst.CreateProgrammeAsync(ProgrammeRequest());
        Assert.Equal(Hst, programme.Office);

        // The province registers an instructor (the province's account) and HST assigns them: the account becomes HST's.
        var instructor = await province.RegisterStaffAsync(new RegisterStaffRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Kind = StaffKind.Instructor,
            Name = "Nurhayati",
            District = "Hulu Sungai Tengah",
            Email = "nurhayati@hst.example",
        });
        await hst.AssignStaffAsync(new AssignStaffRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = programme.ProgrammeId,
            PersonId = instructor.PersonId,
            Role = StaffRole.Instructor,
        });
        // A trainee the province registers, enrolled by HST in HST's programme, is HST's too.
        var trainee = await province.RegisterTraineeAsync(new RegisterTraineeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Name = "Rahmah",
            BirthYear = 2004,
            Village = "Barabai",
            District = "Hulu Sungai Tengah",
            Phone = "0812-3456-7891",
        });
        await hst.EnrolAsync(new EnrolRequest { RequestId = Guid.NewGuid().ToString(), ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId });
        await EventuallyAsync(async () =>
        {
            Assert.Equal(Hst, await OfficeOfAsync(identity, instructor.Subject));
            Assert.Equal(Hst, await OfficeOfAsync(identity, trainee.Subject));
            return true;
        });

        // Their tokens say HST: the instructor signs in with the password of their invitation, the trainee with a code.
        var invitation = await identity.Operator.IssueInvitationAsync(new IssueInvitationRequest { RequestId = Guid.NewGuid().ToString(), Subject = instructor.Subject });
        var invited = identity.NewBrowser("10.9.9.8");
        var page = await invited.GetAsync(new Uri(invitation.Url).PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.Redirect,
            (await invited.PostFormAsync("/account/invitation", page.Html, new() { ["Password"] = "sasirangan2020", ["Confirm"] = "sasirangan2020" })).Status);
        var staffBrowser = identity.NewBrowser();
        var staffTokens = await IdentityHarness.CodeFlowAsync(staffBrowser, TokenTests.WithPassword(staffBrowser, "nurhayati@hst.example", "sasirangan2020"));
        var staffJwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(staffTokens.AccessToken);
        Assert.Equal(instructor.Subject, staffJwt.Subject);
        Assert.Equal(Hst, staffJwt.GetClaim("office").Value);
        var code = await identity.IssueCodeAsync(trainee.Subject);
        var phone = identity.NewBrowser("10.9.9.7");
        var traineeTokens = await IdentityHarness.CodeFlowAsync(phone, TokenTests.WithCode(phone, "+6281234567891", code));
        Assert.Equal(Hst, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(traineeTokens.AccessToken).GetClaim("office").Value);
    }

    private static async Task<string?> OfficeOfAsync(IdentityHarness identity, string subject)
    {
        using var scope = identity.Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Bimtek.Identity.Data.IdentityDb>();
        return await db.Users.AsNoTracking().Where(a => a.Subject == subject).Select(a => a.Office).SingleOrDefaultAsync();
    }

    private static CreateProgrammeRequest ProgrammeRequest()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        return new CreateProgrammeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Code = "BIMTEK-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
            Title = "Bimtek pembuatan masker kain 3 lapis",
            ProductCode = "MASK-SASIRANGAN-3PLY",
            Organisers = { "Disperindag HST" },
            District = "Hulu Sungai Tengah",
            Province = "Kalimantan Selatan",
            Mode = ProgrammeMode.OnlineHomeBased,
            StartDay = new Google.Type.Date { Year = today.Year, Month = today.Month, Day = today.Day },
            EndDay = new Google.Type.Date { Year = today.AddDays(2).Year, Month = today.AddDays(2).Month, Day = today.AddDays(2).Day },
            TimeZone = "Asia/Makassar",
            Capacity = 5,
            TargetQuantity = 500,
        };
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> attempt)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
