using Bimtek.Data.Persistence;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Participants.Tests.ParticipantsHarness;

namespace Bimtek.Participants.Tests;

/// <summary>
/// Offices: a district office's operators see and change only their programmes, the province's operators also its
/// districts', and programmes from before offices belong to the deployment's default office.
/// </summary>
public sealed class OfficeTests
{
    private const string Province = "DISPERIN-KALSEL";
    private const string Hsu = "DISPERINDAGKOP-HSU";
    private const string Hst = "DISPERINDAG-HST";

    private static Dictionary<string, string?> Offices { get; } = new()
    {
        ["Offices:Default"] = Hsu,
        ["Offices:Provinces:" + Province + ":0"] = Hsu,
        ["Offices:Provinces:" + Province + ":1"] = Hst,
    };

    [Theory, BothDatabases]
    public async Task A_district_operator_is_refused_another_districts_programme_and_the_province_sees_both(DatabaseKind db)
    {
        await using var h = await StartAsync(db, Offices);
        var hsu = h.Host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.OperatorOf(Hsu, "operator-hsu"));
        var hst = h.Host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.OperatorOf(Hst, "operator-hst"));
        var province = h.Host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.OperatorOf(Province, "operator-kalsel"));

        var ofHsu = await hsu.CreateProgrammeAsync(h.ProgrammeRequest());
        var ofHst = await hst.CreateProgrammeAsync(h.ProgrammeRequest());
        Assert.Equal(Hsu, ofHsu.Office);
        Assert.Equal(Hst, ofHst.Office);

        // Another district's programme: refused (403) on reads and writes, named by programme_id or reached through a record.
        await Errors.DeniedAsync(hsu.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = ofHst.ProgrammeId }));
        await Errors.DeniedAsync(hsu.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = NewId(), ProgrammeId = ofHst.ProgrammeId }));
        var trainee = await h.RegisterTraineeAsync("Rusdiana");
        await Errors.DeniedAsync(hsu.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = ofHst.ProgrammeId, TraineeId = trainee.PersonId }));
        var enrolment = await hst.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = ofHst.ProgrammeId, TraineeId = trainee.PersonId });
        // A record of another office's programme found by its own id is answered as an unknown id (404), as elsewhere in the suite.
        await SameAnswerAsync(StatusCode.NotFound, id => hsu.GetEnrolmentAsync(new GetEnrolmentRequest { EnrolmentId = id }), enrolment.EnrolmentId, NewId());
        await SameAnswerAsync(StatusCode.NotFound,
            id => hsu.WithdrawEnrolmentAsync(new WithdrawEnrolmentRequest { RequestId = NewId(), EnrolmentId = id, Reason = "pindah" }), enrolment.EnrolmentId, NewId());
        // Lists by trainee leave another office's programmes' enrolments out.
        Assert.Empty((await hsu.ListEnrolmentsAsync(new ListEnrolmentsRequest { TraineeId = trainee.PersonId })).Enrolments);
        Assert.Single((await hst.ListEnrolmentsAsync(new ListEnrolmentsRequest { TraineeId = trainee.PersonId })).Enrolments);
        // A district cannot create programmes for another office.
        await Errors.DeniedAsync(hsu.CreateProgrammeAsync(WithOffice(h.ProgrammeRequest(), Hst)));
        await Errors.DeniedAsync(hsu.CreateProgrammeAsync(WithOffice(h.ProgrammeRequest(), Province)));

        // Lists hold only the caller's office's programmes; the province's hold both districts'.
        Assert.Equal([ofHsu.ProgrammeId], await IdsAsync(hsu));
        Assert.Equal([ofHst.ProgrammeId], await IdsAsync(hst));
        Assert.Equal(new[] { ofHsu.ProgrammeId, ofHst.ProgrammeId }.Order(), (await IdsAsync(province)).Order());

        // The province reads and changes a district's programme, and creates one for a district.
        Assert.Equal(ofHst.ProgrammeId, (await province.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = ofHst.ProgrammeId })).ProgrammeId);
        Assert.Equal(enrolment.EnrolmentId, (await province.GetEnrolmentAsync(new GetEnrolmentRequest { EnrolmentId = enrolment.EnrolmentId })).EnrolmentId);
        var forHst = await province.CreateProgrammeAsync(WithOffice(h.ProgrammeRequest(), Hst));
        Assert.Equal(Hst, forHst.Office);
        Assert.Equal(forHst.ProgrammeId, (await hst.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = forHst.ProgrammeId })).ProgrammeId);
        // A district never sees its province's own programmes.
        var ofProvince = await province.CreateProgrammeAsync(h.ProgrammeRequest());
        Assert.Equal(Province, ofProvince.Office);
        await Errors.DeniedAsync(hsu.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = ofProvince.ProgrammeId }));

        // An unknown programme gets exactly the answer another office's gets (status, reason and message), on reads,
        // writes and lists that name it, so an operator cannot tell which programmes exist; a malformed id is 400.
        var unknown = Guid.NewGuid().ToString();
        await SameAnswerAsync(StatusCode.PermissionDenied, id => hsu.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = id }), ofHst.ProgrammeId, unknown);
        await SameAnswerAsync(StatusCode.PermissionDenied,
            id => hsu.ActivateProgrammeAsync(new ActivateProgrammeRequest { RequestId = NewId(), ProgrammeId = id }), ofHst.ProgrammeId, unknown);
        await SameAnswerAsync(StatusCode.PermissionDenied,
            id => hsu.EnrolAsync(new EnrolRequest { RequestId = NewId(), ProgrammeId = id, TraineeId = trainee.PersonId }), ofHst.ProgrammeId, unknown);
        await SameAnswerAsync(StatusCode.PermissionDenied, id => hsu.ListEnrolmentsAsync(new ListEnrolmentsRequest { ProgrammeId = id }), ofProvince.ProgrammeId, unknown);
        await Errors.InvalidAsync(hsu.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = "nope" }), "programme_id");
    }

    /// <summary>
    /// Another office's record and an unknown id: the same status, reason and message, byte for byte once each id is
    /// taken out (a programme: 403 with the office refusal; a record by its own id: 404 worded as an unknown id).
    /// </summary>
    private static async Task SameAnswerAsync<T>(StatusCode expected, Func<string, AsyncUnaryCall<T>> call, string foreignId, string unknownId)
    {
        var foreign = await Errors.FailsAsync(call(foreignId), expected);
        var unknown = await Errors.FailsAsync(call(unknownId), expected);
        if (expected == StatusCode.PermissionDenied)
        {
            Assert.Equal(ProgrammeOfficeCheck.RefusalMessage, foreign.Status.Detail);
        }
        Assert.Equal(unknown.Status.Detail.Replace(unknownId, "{id}", StringComparison.Ordinal), foreign.Status.Detail.Replace(foreignId, "{id}", StringComparison.Ordinal));
        Assert.Equal(Errors.Reason(unknown), Errors.Reason(foreign));
        Assert.Equal(
            unknown.GetRpcStatus()?.ToByteString().ToStringUtf8().Replace(unknownId, "{id}", StringComparison.Ordinal),
            foreign.GetRpcStatus()?.ToByteString().ToStringUtf8().Replace(foreignId, "{id}", StringComparison.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task Programmes_and_callers_without_an_office_belong_to_the_default_office(DatabaseKind db)
    {
        await using var h = await StartAsync(db, Offices);
        // A token without an office claim (an API key configured without one) is the default office's operator.
        var legacy = await h.CreateProgrammeAsync();
        Assert.Equal(Hsu, legacy.Office);
        // A programme from before offices (its row has no office) is the default office's too.
        await h.Host.Services.GetRequiredService<Database>().InTransactionAsync(
            s => s.ExecuteAsync("UPDATE programmes SET office = '' WHERE programme_id = @id", new { id = legacy.ProgrammeId }));
        var hsu = h.Host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.OperatorOf(Hsu, "operator-hsu"));
        var hst = h.Host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.OperatorOf(Hst, "operator-hst"));
        Assert.Equal(legacy.ProgrammeId, (await hsu.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = legacy.ProgrammeId })).ProgrammeId);
        Assert.Contains(legacy.ProgrammeId, await IdsAsync(hsu));
        Assert.DoesNotContain(legacy.ProgrammeId, await IdsAsync(hst));
        await Errors.DeniedAsync(hst.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = legacy.ProgrammeId }));
        // Other services' relays act for every office.
        var relay = h.Host.Client<ParticipantsService.ParticipantsServiceClient>(TestTokens.Mint("coordinator", [Roles.Service], TimeSpan.FromMinutes(5), office: Hst));
        Assert.Equal(legacy.ProgrammeId, (await relay.GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = legacy.ProgrammeId })).ProgrammeId);
    }

    [Fact]
    public void The_office_rule_an_office_covers_itself_and_a_province_its_districts()
    {
        var scope = new OfficeScope(new OfficeOptions { Default = Hsu, Provinces = { [Province] = [Hsu, Hst] } });
        Assert.True(scope.Covers(Hsu, Hsu));
        Assert.True(scope.Covers(Province, Hst));
        Assert.True(scope.Covers(Province, ""));
        Assert.True(scope.Covers("", Hsu));
        Assert.False(scope.Covers(Hsu, Hst));
        Assert.False(scope.Covers(Hst, ""));
        Assert.False(scope.Covers(Hsu, Province));
        Assert.Equal([Province, Hsu, Hst], scope.Visible(Province));
        Assert.Equal([Hsu], scope.Visible(null));
    }

    private static CreateProgrammeRequest WithOffice(CreateProgrammeRequest request, string office)
    {
        request.Office = office;
        return request;
    }

    private static async Task<List<string>> IdsAsync(ParticipantsService.ParticipantsServiceClient client) =>
        [.. (await client.ListProgrammesAsync(new ListProgrammesRequest { PageSize = 200 })).Programmes.Select(p => p.ProgrammeId)];
}
