using Bimtek.Coordinator.V1;
using Bimtek.Data.Outbox;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

public sealed class EnrolmentTests
{
    [Theory, BothDatabases]
    public async Task Eight_simultaneous_enrolments_into_seven_seats_admit_exactly_seven(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var programme = await h.CreateProgrammeAsync(capacity: 7);
        var trainees = new List<Person>();
        for (var i = 0; i < 8; i++)
        {
            trainees.Add(await h.RegisterTraineeAsync($"Peserta {i}"));
        }

        var outcomes = await Task.WhenAll(trainees.Select(async t =>
        {
            try
            {
                return (Enrolment: await h.EnrolAsync(programme.ProgrammeId, t.PersonId), Error: (RpcException?)null);
            }
            catch (RpcException ex)
            {
                return (Enrolment: (Enrolment?)null, Error: ex);
            }
        }));

        Assert.Equal(7, outcomes.Count(o => o.Enrolment is not null));
        var refused = Assert.Single(outcomes, o => o.Error is not null).Error!;
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal("PROGRAMME_AT_CAPACITY", Errors.Reason(refused));
        Assert.Contains(refused.GetRpcStatus()!.GetDetail<PreconditionFailure>()!.Violations, v => v.Type == "PROGRAMME_AT_CAPACITY");
        // Sequences 1..7, each handed out once.
        Assert.Equal(Enumerable.Range(1, 7), outcomes.Where(o => o.Enrolment is not null).Select(o => o.Enrolment!.Sequence).Order());
        Assert.Equal(7, (await h.Operator.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programme.ProgrammeId })).EnrolledCount);
    }

    [Theory, BothDatabases]
    public async Task Enrolment_changes_reach_the_coordinator_once_and_a_replay_sends_nothing_new(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, _, _) = await h.ActiveProgrammeAsync();
        var first = await h.RegisterTraineeAsync("Aisyah");
        var second = await h.RegisterTraineeAsync("Budi");
        var enrol = new EnrolRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = first.PersonId };
        var enrolment = await h.Operator.EnrolAsync(enrol);
        await h.EnrolAsync(programme.ProgrammeId, second.PersonId);
        var withdraw = new WithdrawEnrolmentRequest { RequestId = NewId(), EnrolmentId = enrolment.EnrolmentId, Reason = "moved to Banjarmasin" };
        var withdrawn = await h.Operator.WithdrawEnrolmentAsync(withdraw);
        await h.DrainOutboxAsync();

        // Replays of the same requests answer as the first time and enqueue nothing.
        Assert.Equal(enrolment, await h.Operator.EnrolAsync(enrol));
        Assert.Equal(withdrawn, await h.Operator.WithdrawEnrolmentAsync(withdraw));
        await h.DrainOutboxAsync();
        await Task.Delay(300);

        var changes = h.Coordinator.EnrolmentChanges.ToList();
        Assert.Equal(3, changes.Count);
        Assert.Equal(3, changes.Select(c => c.RequestId).Distinct().Count());
        var enrolled = Assert.Single(changes, c => c.TraineeId == first.PersonId && c.Change == EnrolmentChange.Enrolled);
        Assert.Equal(enrolment.EnrolmentId, enrolled.EnrolmentId);
        Assert.Equal(1, enrolled.EnrolmentSequence);
        Assert.Equal(60, enrolled.Programme.TargetQuantity);
        Assert.Equal("Asia/Makassar", enrolled.Programme.TimeZone);
        Assert.Equal(ProgrammePhase.Active, enrolled.Programme.Phase);
        Assert.Equal(programme.StartDay.Day, enrolled.Programme.StartDay.Day);
        Assert.NotNull(enrolled.ChangedAt);
        var left = Assert.Single(changes, c => c.Change == EnrolmentChange.Withdrawn);
        Assert.Equal(enrolment.EnrolmentId, left.EnrolmentId);
        Assert.Equal(1, left.EnrolmentSequence);
        Assert.Equal(2, Assert.Single(changes, c => c.TraineeId == second.PersonId).EnrolmentSequence);
    }

    [Theory, BothDatabases]
    public async Task An_enrolment_made_while_the_coordinator_is_down_reaches_it_once_when_it_is_back(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var programme = await h.CreateProgrammeAsync();
        var trainee = await h.RegisterTraineeAsync();
        await h.DrainOutboxAsync();

        h.CoordinatorDown = true;
        var enrolment = await h.EnrolAsync(programme.ProgrammeId, trainee.PersonId);
        await Task.Delay(1_000);
        Assert.Empty(h.Coordinator.EnrolmentChanges);
        Assert.Equal(1, (await h.Host.Services.GetRequiredService<OutboxStatus>().ReadAsync()).Pending);

        h.CoordinatorDown = false;
        await h.DrainOutboxAsync();
        Assert.Equal(enrolment.EnrolmentId, Assert.Single(h.Coordinator.EnrolmentChanges).EnrolmentId);
    }

    [Theory, BothDatabases]
    public async Task Enrolment_rules_minors_kinds_duplicates_and_withdrawal(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var programme = await h.CreateProgrammeAsync(capacity: 3);
        // A minor in the programme's start year needs a guardian's consent first.
        var startYear = programme.StartDay.Year;
        var minor = await h.RegisterTraineeAsync("Rina", birthYear: startYear - 16);
        Assert.True(minor.Trainee.Minor);
        await Errors.PreconditionAsync(h.Operator.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = minor.PersonId }),
            "GUARDIAN_CONSENT_MISSING");
        var consented = await h.Operator.RecordGuardianConsentAsync(new RecordGuardianConsentRequest
        { RequestId = NewId(), PersonId = minor.PersonId, GuardianName = "Hj. Salmah", GuardianConsent = true });
        Assert.True(consented.Trainee.GuardianConsent);
        Assert.NotNull(consented.Trainee.GuardianConsentAt);
        var enrolment = await h.EnrolAsync(programme.ProgrammeId, minor.PersonId);

        // Twice is refused; staff cannot be enrolled; unknown trainee is NOT_FOUND.
        await Errors.PreconditionAsync(h.Operator.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = minor.PersonId }),
            "ALREADY_ENROLLED");
        var instructor = await h.RegisterStaffAsync();
        await Errors.PreconditionAsync(h.Operator.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = instructor.PersonId }),
            "NOT_A_TRAINEE");
        await Errors.FailsAsync(h.Operator.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = NewId() }), StatusCode.NotFound);
        await Errors.PreconditionAsync(h.Operator.RecordGuardianConsentAsync(new RecordGuardianConsentRequest
        { RequestId = NewId(), PersonId = instructor.PersonId, GuardianName = "x", GuardianConsent = true }), "NOT_A_TRAINEE");
        await Errors.InvalidAsync(h.Operator.RecordGuardianConsentAsync(new RecordGuardianConsentRequest
        { RequestId = NewId(), PersonId = minor.PersonId, GuardianName = "", GuardianConsent = false }), "guardian_name", "guardian_consent");

        // Withdrawal frees the seat and keeps the sequence; a second withdrawal is refused; re-enrolment gets a new sequence.
        var withdrawn = await h.Operator.WithdrawEnrolmentAsync(new WithdrawEnrolmentRequest { RequestId = NewId(), EnrolmentId = enrolment.EnrolmentId, Reason = "sick" });
        Assert.Equal(EnrolmentStatus.Withdrawn, withdrawn.Status);
        Assert.Equal("sick", withdrawn.WithdrawalReason);
        await Errors.PreconditionAsync(h.Operator.WithdrawEnrolmentAsync(new WithdrawEnrolmentRequest
        { RequestId = NewId(), EnrolmentId = enrolment.EnrolmentId, Reason = "again" }), "ENROLMENT_WITHDRAWN");
        var again = await h.EnrolAsync(programme.ProgrammeId, minor.PersonId);
        Assert.Equal(2, again.Sequence);
        await Errors.InvalidAsync(h.Operator.WithdrawEnrolmentAsync(new WithdrawEnrolmentRequest { RequestId = NewId(), EnrolmentId = again.EnrolmentId, Reason = "" }), "reason");

        var all = await h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId });
        Assert.Equal([1, 2], all.Enrolments.Select(e => e.Sequence));
        var active = await h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId, Status = EnrolmentStatus.Active });
        Assert.Equal("Rina", Assert.Single(active.Enrolments).TraineeName);
        await Errors.InvalidAsync(h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest()), "programme_id");
        // An unknown parent is NOT_FOUND, not an empty list, for a caller that is not office-scoped (a relay acting as operator);
        // an office-scoped operator gets the office refusal another office's programme gets.
        await Errors.FailsAsync(h.As("coordinator", Roles.Service, Roles.Operator).ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = NewId() }), StatusCode.NotFound);
        await Errors.DeniedAsync(h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = NewId() }));
        await Errors.FailsAsync(h.Operator.ListEnrolmentsAsync(new ListEnrolmentsRequest { TraineeId = NewId() }), StatusCode.NotFound);
        await Errors.FailsAsync(h.Operator.GetTraineeLessonProgressAsync(
            new GetTraineeLessonProgressRequest { ProgrammeId = programme.ProgrammeId, TraineeId = NewId() }), StatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task Trainees_see_only_their_own_enrolments_and_instructors_act_only_for_their_programmes(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, _, instructorClient) = await h.ActiveProgrammeAsync();
        var (otherProgramme, _, _) = await h.ActiveProgrammeAsync();
        var siti = await h.RegisterTraineeAsync("Siti", subject: "siti");
        var budi = await h.RegisterTraineeAsync("Budi", subject: "budi");
        var sitiEnrolment = await instructorClient.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = programme.ProgrammeId, TraineeId = siti.PersonId });
        var budiEnrolment = await h.EnrolAsync(programme.ProgrammeId, budi.PersonId);

        // The instructor of another programme may not enrol here.
        await Errors.DeniedAsync(instructorClient.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = otherProgramme.ProgrammeId, TraineeId = budi.PersonId }));

        var sitiClient = h.As("siti", Roles.Trainee);
        Assert.Equal(sitiEnrolment.EnrolmentId, (await sitiClient.GetEnrolmentAsync(new GetEnrolmentRequest { EnrolmentId = sitiEnrolment.EnrolmentId })).EnrolmentId);
        await Errors.DeniedAsync(sitiClient.GetEnrolmentAsync(new GetEnrolmentRequest { EnrolmentId = budiEnrolment.EnrolmentId }));
        // An id that does not exist is denied the same way: nothing to probe.
        await Errors.DeniedAsync(sitiClient.GetEnrolmentAsync(new GetEnrolmentRequest { EnrolmentId = NewId() }));
        await Errors.FailsAsync(h.Operator.GetEnrolmentAsync(new GetEnrolmentRequest { EnrolmentId = NewId() }), StatusCode.NotFound);
        await Errors.DeniedAsync(sitiClient.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId }));
        Assert.Single((await sitiClient.ListEnrolmentsAsync(new ListEnrolmentsRequest { TraineeId = siti.PersonId })).Enrolments);
        await Errors.DeniedAsync(sitiClient.WithdrawEnrolmentAsync(new WithdrawEnrolmentRequest { RequestId = NewId(), EnrolmentId = sitiEnrolment.EnrolmentId, Reason = "x" }));
        await Errors.DeniedAsync(sitiClient.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = otherProgramme.ProgrammeId, TraineeId = siti.PersonId }));
        Assert.Equal(2, (await instructorClient.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = programme.ProgrammeId })).Enrolments.Count);
    }

    [Theory, BothDatabases]
    public async Task Check_enrolment_answers_production_with_status_days_product_and_roles(DatabaseKind db)
    {
        await using var h = await StartAsync(db);
        var (programme, instructor, _) = await h.ActiveProgrammeAsync();
        var expert = await h.RegisterStaffAsync(StaffKind.HealthExpert, subject: "dr-nur");
        await h.AssignAsync(programme.ProgrammeId, expert.PersonId, StaffRole.HealthExpert);
        var trainee = await h.RegisterTraineeAsync();
        var outsider = await h.RegisterTraineeAsync("Outsider");
        var enrolment = await h.EnrolAsync(programme.ProgrammeId, trainee.PersonId);
        var service = h.Internal(TestTokens.Service("production"));

        var check = await service.CheckEnrolmentAsync(new CheckEnrolmentRequest { ProgrammeId = programme.ProgrammeId, TraineeId = trainee.PersonId, Subject = "dr-nur" });
        Assert.True(check.Enrolled);
        Assert.Equal(enrolment.EnrolmentId, check.EnrolmentId);
        Assert.Equal(1, check.EnrolmentSequence);
        Assert.Equal(ProgrammeStatus.Active, check.ProgrammeStatus);
        Assert.Equal("Asia/Makassar", check.TimeZone);
        Assert.Equal("APD-SET", check.ProductCode);
        Assert.Equal(programme.EndDay, check.EndDay);
        Assert.Equal(expert.PersonId, check.PersonId);
        Assert.Equal(Common.V1.Role.HealthExpert, check.PersonRole);

        Assert.Equal(Common.V1.Role.Instructor, (await service.CheckEnrolmentAsync(new CheckEnrolmentRequest { ProgrammeId = programme.ProgrammeId, PersonId = instructor.PersonId })).PersonRole);
        Assert.Equal(Common.V1.Role.Trainee, (await service.CheckEnrolmentAsync(new CheckEnrolmentRequest { ProgrammeId = programme.ProgrammeId, PersonId = trainee.PersonId })).PersonRole);
        var notEnrolled = await service.CheckEnrolmentAsync(new CheckEnrolmentRequest { ProgrammeId = programme.ProgrammeId, TraineeId = outsider.PersonId, PersonId = outsider.PersonId });
        Assert.False(notEnrolled.Enrolled);
        Assert.Equal(Common.V1.Role.Unspecified, notEnrolled.PersonRole);

        await Errors.FailsAsync(service.CheckEnrolmentAsync(new CheckEnrolmentRequest { ProgrammeId = NewId() }), StatusCode.NotFound);
        await Errors.DeniedAsync(h.Internal(TestTokens.Mint("dr-nur", Roles.HealthExpert)).CheckEnrolmentAsync(new CheckEnrolmentRequest { ProgrammeId = programme.ProgrammeId }));
    }
}
