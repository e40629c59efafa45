using System.Net;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// Offices through the gateway in front of the real services: the world's programme is the default office's (its
/// operator key names none), so another district's operator (its office claim forwarded by the gateway) is refused
/// its kits, handovers, reports and quotas, with the answers an unknown id gets; the default office's operator is not.
/// </summary>
public sealed partial class BolaTests
{
    [Fact]
    public async Task Another_offices_operator_reaches_none_of_the_programmes_records_through_the_gateway()
    {
        var world = fixture.World;
        var gateway = fixture.Suite.Gateway;
        using var hst = gateway.Client(bearer: Callers.Person("operator-hst", [Roles.Operator], office: "DISPERINDAG-HST"));
        using var hsu = gateway.Client(bearer: Callers.Person("operator-hsu", [Roles.Operator], office: "DISPERINDAGKOP-HSU"));
        var unknownProgramme = Guid.NewGuid().ToString();
        var unknownRecord = Guid.NewGuid().ToString();

        foreach (var (path, refused) in new[]
        {
            ($"/api/v1/quotas/programmes/{world.ProgrammeId}/progress", HttpStatusCode.Forbidden),
            ($"/api/v1/distribution/reports/programmes/{world.ProgrammeId}", HttpStatusCode.Forbidden),
            ($"/api/v1/kits/plans/{world.KitPlanId}", HttpStatusCode.NotFound),
            ($"/api/v1/handovers/{world.Ayu.IssuedHandoverId}", HttpStatusCode.NotFound),
        })
        {
            var unknownPath = path.Replace(world.ProgrammeId, unknownProgramme, StringComparison.Ordinal)
                .Replace(world.KitPlanId, unknownRecord, StringComparison.Ordinal)
                .Replace(world.Ayu.IssuedHandoverId, unknownRecord, StringComparison.Ordinal);
            using var foreign = await hst.GetAsync(path);
            using var unknown = await hst.GetAsync(unknownPath);
            Assert.True(refused == foreign.StatusCode, $"{path}: {(int)foreign.StatusCode} {await foreign.Content.ReadAsStringAsync()}");
            Assert.Equal(refused, unknown.StatusCode);
            using var own = await hsu.GetAsync(path);
            Assert.True(own.StatusCode == HttpStatusCode.OK, $"{path} for its own office: {(int)own.StatusCode} {await own.Content.ReadAsStringAsync()}");
        }
        using var handovers = await hst.GetAsync("/api/v1/handovers");
        Assert.Equal(HttpStatusCode.OK, handovers.StatusCode);
        Assert.DoesNotContain(world.Ayu.IssuedHandoverId, await handovers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
