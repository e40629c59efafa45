using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;

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
