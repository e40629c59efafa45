using Bimtek.Data.Persistence;
using Bimtek.Participants.V1;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

/// <summary>
/// GetProgramme, the office check and CheckEnrolment are answered from memory between writes (issue 19); these hold
/// them to never answering older than the last write the instance has heard of.
/// </summary>
public sealed class CachedReadTests
{
    [Theory, BothDatabases]
    public async Task Each_write_of_the_instance_shows_at_once_in_its_cached_programme_and_enrolment_check(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, _, _) = await h.ActiveProgrammeAsync();
        var trainee = await h.RegisterTraineeAsync();
        var service = h.Internal(TestTokens.Service());
        var check = new CheckEnrolmentRequest { ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId };

        // Read twice each, so the second answer comes from memory.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(0, (await h.Operator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).EnrolledCount);
            Assert.False((await service.CheckEnrolmentAsync(check)).Enrolled);
        }

        var enrolment = await h.EnrolAsync(programme.ProgrammeId, trainee.PersonId);
        Assert.Equal(1, (await h.Operator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).EnrolledCount);
        Assert.True((await service.CheckEnrolmentAsync(check)).Enrolled);

        var expert = await h.RegisterStaffAsync(StaffKind.HealthExpert, name: "dr. Nur");
        await h.AssignAsync(programme.ProgrammeId, expert.PersonId, StaffRole.HealthExpert);
        Assert.Equal(2, (await h.Operator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).Staff.Count);

        await h.Operator.WithdrawEnrolmentAsync(new WithdrawEnrolmentRequest { RequestId = NewId(), EnrolmentId = enrolment.EnrolmentId, Reason = "moved away" });
        Assert.False((await service.CheckEnrolmentAsync(check)).Enrolled);
        Assert.Equal(0, (await h.Operator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).EnrolledCount);
    }

    [Fact]
    public async Task A_write_through_another_instance_reaches_this_instance_as_soon_as_its_commit_is_heard()
    {
        await using var h = await StartAsync(DatabaseKind.Postgres);
        var (programme, trainee, check, replica, replicaChecks, heard) = await TwoInstancesAsync(h);
        var replicaOperator = replica.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.Operator());

        // The replica answers (and keeps the answers in memory)...
        Assert.False((await replicaChecks.CheckEnrolmentAsync(check)).Enrolled);
        Assert.Equal(0, (await replicaOperator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).EnrolledCount);

        // ...until the first instance's enrolment commits and its notification arrives.
        var before = heard.Version;
        var enrolment = await h.EnrolAsync(programme.ProgrammeId, trainee.PersonId);
        await WaitUntilAsync(() => heard.Version > before, "the replica heard the enrolment");
        Assert.True((await replicaChecks.CheckEnrolmentAsync(check)).Enrolled);
        Assert.Equal(1, (await replicaOperator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).EnrolledCount);

        // A trainee withdrawn through the first instance is refused by the replica once the withdrawal is heard.
        before = heard.Version;
        await h.Operator.WithdrawEnrolmentAsync(new WithdrawEnrolmentRequest { RequestId = NewId(), EnrolmentId = enrolment.EnrolmentId, Reason = "moved away" });
        await WaitUntilAsync(() => heard.Version > before, "the replica heard the withdrawal");
        Assert.False((await replicaChecks.CheckEnrolmentAsync(check)).Enrolled);
    }

    [Fact]
    public async Task An_instance_whose_listening_connection_was_closed_answers_from_the_database_until_it_listens_again()
    {
        await using var h = await StartAsync(DatabaseKind.Postgres);
        var (programme, trainee, check, _, replicaChecks, heard) = await TwoInstancesAsync(h);
        Assert.False((await replicaChecks.CheckEnrolmentAsync(check)).Enrolled);

        // The server closes every listening connection (a restart, a pooler, an operator): notifications sent
        // before the replica listens again never reach it.
        var before = heard.Version;
        await using (var admin = new NpgsqlConnection(h.PostgresConnectionString))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN bimtek_data_changed'", admin);
            Assert.True((long)(await terminate.ExecuteScalarAsync())! >= 2);
        }
        await WaitUntilAsync(() => heard.Version > before, "the replica noticed its connection closed");
        await h.EnrolAsync(programme.ProgrammeId, trainee.PersonId);

        // Whether it is still reconnecting (nothing from memory) or listens again (all it kept is stale), it answers the enrolment.
        Assert.True((await replicaChecks.CheckEnrolmentAsync(check)).Enrolled);
        await WaitUntilAsync(() => heard.Complete, "the replica listens again");
        Assert.True((await replicaChecks.CheckEnrolmentAsync(check)).Enrolled);
    }

    [Fact]
    public async Task With_cached_reads_turned_off_every_read_goes_to_the_database()
    {
        await using var h = await StartAsync(DatabaseKind.Postgres, new Dictionary<string, string?> { ["Database:CacheReads"] = "false" });
        var (programme, _, _) = await h.ActiveProgrammeAsync();
        Assert.Single((await h.Operator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).Staff);
        // The listener never starts, so this instance never counts itself told of every write.
        Assert.False(h.Host.Services.GetRequiredService<Database>().Changes.Complete);
    }

    /// <summary>An active programme, a trainee not yet enrolled, and a second instance that listens for the first one's writes.</summary>
    private static async Task<(Programme Programme, Person Trainee, CheckEnrolmentRequest Check, ServiceHost<Program> Replica,
        ParticipantsInternalService.ParticipantsInternalServiceClient ReplicaChecks, DataChanges Heard)> TwoInstancesAsync(ParticipantsHarness h)
    {
        var (programme, _, _) = await h.ActiveProgrammeAsync();
        var trainee = await h.RegisterTraineeAsync();
        var replica = h.StartReplica();
        var heard = replica.Services.GetRequiredService<Database>().Changes;
        await WaitUntilAsync(() => heard.Complete, "the replica's listener connected");
        return (programme, trainee, new CheckEnrolmentRequest { ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId }, replica,
            replica.Client<ParticipantsInternalService.ParticipantsInternalServiceClient>(TestTokens.Service()), heard);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within 60 s: {what}.");
            await Task.Delay(10);
        }
    }
}
