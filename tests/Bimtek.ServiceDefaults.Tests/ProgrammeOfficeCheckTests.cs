using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;

namespace Bimtek.ServiceDefaults.Tests;

/// <summary>
/// The office check of services that learn programmes' offices: a province covers its districts, a record of a
/// programme from before offices is the default office's, an unknown programme is nobody's, and what is not
/// office-scoped (relays, people acting by their own rules) passes; participants' unknown answer is not kept, its
/// outage is a 503 to retry.
/// </summary>
public sealed class ProgrammeOfficeCheckTests
{
    private const string Province = "DISPERIN-KALSEL";
    private const string Hsu = "DISPERINDAGKOP-HSU";
    private const string Hst = "DISPERINDAG-HST";

    private static OfficeScope Scope { get; } = new(new OfficeOptions { Default = Hsu, Provinces = { [Province] = [Hsu, Hst] } });

    private static Caller OperatorOf(string office) => new("op", new HashSet<string> { Roles.Operator }) { Office = office };

    [Fact]
    public async Task Offices_cover_their_own_a_province_its_districts_and_nobody_an_unknown_programme()
    {
        var programmes = new StandInProgrammeOffices().Set("p-hsu", Hsu).Set("p-hst", Hst).Set("p-legacy", "");
        var check = new ProgrammeOfficeCheck(new OnlyKnown(programmes, "p-hsu", "p-hst", "p-legacy"), Scope);

        Assert.True(await check.CoversAsync(OperatorOf(Hsu), "p-hsu", default));
        Assert.False(await check.CoversAsync(OperatorOf(Hst), "p-hsu", default));
        Assert.True(await check.CoversAsync(OperatorOf(Province), "p-hst", default));
        // A programme from before offices is the default office's.
        Assert.True(await check.CoversAsync(OperatorOf(Hsu), "p-legacy", default));
        Assert.False(await check.CoversAsync(OperatorOf(Hst), "p-legacy", default));
        Assert.True(await check.CoversAsync(OperatorOf(""), "p-legacy", default));
        // Unknown: refused to every office, with the same message as another office's programme.
        Assert.False(await check.CoversAsync(OperatorOf(Province), "p-unknown", default));
        var foreign = await Assert.ThrowsAsync<PermissionDeniedException>(() => check.RequireAsync(OperatorOf(Hst), "p-hsu", default).AsTask());
        var unknown = await Assert.ThrowsAsync<PermissionDeniedException>(() => check.RequireAsync(OperatorOf(Hst), "p-unknown", default).AsTask());
        Assert.Equal(foreign.Message, unknown.Message);
        // Not office-scoped: services' relays (also with an operator role) and people, whose own rules apply.
        Assert.True(await check.CoversAsync(new Caller("production", new HashSet<string> { Roles.Service, Roles.Operator }) { Office = Hst }, "p-hsu", default));
        Assert.True(await check.CoversAsync(new Caller("t", new HashSet<string> { Roles.Trainee }), "p-unknown", default));
        // A record of no programme (stock at a location) is everyone's.
        Assert.True(await check.CoversAsync(OperatorOf(Hst), "", default));

        var visible = await check.VisibleAsync(OperatorOf(Hst), ["p-hsu", "p-hst", "", "p-legacy", "p-hst"], id => id, default);
        Assert.Equal(new[] { "p-hst", "", "p-hst" }, visible);
    }

    [Fact]
    public async Task Participants_answers_are_kept_unknown_ones_are_asked_again_and_an_outage_is_a_503()
    {
        var participants = new Participants { ["p-hsu"] = Hsu };
        Assert.Equal(Hsu, await participants.OfficeOfAsync("p-hsu", default));
        Assert.Equal(Hsu, await participants.OfficeOfAsync("p-hsu", default));
        Assert.Equal(1, participants.Asked["p-hsu"]);

        Assert.Null(await participants.OfficeOfAsync("p-new", default));
        participants["p-new"] = Hst; // created a moment later
        Assert.Equal(Hst, await participants.OfficeOfAsync("p-new", default));

        participants.Down = true;
        var outage = await Assert.ThrowsAsync<DependencyUnavailableException>(() => participants.OfficeOfAsync("p-other", default).AsTask());
        Assert.Contains("participants", outage.Message, StringComparison.Ordinal);
        Assert.Equal(Hsu, await participants.OfficeOfAsync("p-hsu", default)); // kept answers still serve
    }

    [Fact]
    public void A_deployment_names_its_provinces_districts_in_one_setting_too()
    {
        var options = new OfficeOptions
        {
            Default = Hsu,
            Provinces = { [Province] = [Hsu] },
            ProvinceDistricts = "DISPERIN-KALSEL = DISPERINDAGKOP-HSU, DISPERINDAG-HST ; DISPERIN-KALTENG=DISPERINDAG-KAPUAS",
        };
        var scope = new OfficeScope(options);
        Assert.Equal([Province, Hsu, Hst], scope.Visible(Province));
        Assert.True(scope.Covers("DISPERIN-KALTENG", "DISPERINDAG-KAPUAS"));
        Assert.False(scope.Covers("DISPERIN-KALTENG", Hst));
        Assert.Empty(new OfficeOptions { ProvinceDistricts = "" }.AllProvinces());
        Assert.Throws<FormatException>(() => new OfficeOptions { ProvinceDistricts = "DISPERIN-KALSEL" }.AllProvinces());
        Assert.Throws<FormatException>(() => new OfficeOptions { ProvinceDistricts = "=DISPERINDAG-HST" }.AllProvinces());
    }

    /// <summary>Participants as seen through its CheckEnrolment: NOT_FOUND for what it does not hold, UNAVAILABLE when down.</summary>
    private sealed class Participants : ParticipantsProgrammeOffices
    {
        private readonly Dictionary<string, string> _offices = [];

        public Dictionary<string, int> Asked { get; } = [];

        public bool Down { get; set; }

        public string this[string programmeId] { set => _offices[programmeId] = value; }

        protected override Task<string> AskAsync(string programmeId, CancellationToken cancellationToken)
        {
            Asked[programmeId] = Asked.GetValueOrDefault(programmeId) + 1;
            if (Down)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "down"));
            }
            return _offices.TryGetValue(programmeId, out var office)
                ? Task.FromResult(office)
                : throw new RpcException(new Status(StatusCode.NotFound, "programme not found"));
        }
    }

    /// <summary>The stand-in, but with every other programme unknown.</summary>
    private sealed class OnlyKnown(IProgrammeOffices inner, params string[] known) : IProgrammeOffices
    {
        public bool AnswersForUnknownProgrammes => false;

        public ValueTask<string?> OfficeOfAsync(string programmeId, CancellationToken cancellationToken) =>
            known.Contains(programmeId) ? inner.OfficeOfAsync(programmeId, cancellationToken) : ValueTask.FromResult<string?>(null);
    }
}
