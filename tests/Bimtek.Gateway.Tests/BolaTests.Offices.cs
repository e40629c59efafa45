using System.Net;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// Offices through the gateway in front of the real services: the world's programme is the default office's (its
/// operator key names none), so another district's operator (its office claim forwarded by the gateway) is refused
/// its programme, enrolments, kits, stock locations (the trainee's home among them), recipients, handovers, reports and
/// quotas, with the answers an unknown id gets (the same status and body once the id is taken out); the default
/// office's operator is not.
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

        var records = new[] { world.KitPlanId, world.Ayu.IssuedHandoverId, world.Alice.EnrolmentId, world.Alice.HomeLocationId, world.Ayu.RecipientId };
        foreach (var (path, refused) in new[]
        {
            ($"/api/v1/programmes/{world.ProgrammeId}", HttpStatusCode.Forbidden),
            ($"/api/v1/enrolments/{world.Alice.EnrolmentId}", HttpStatusCode.NotFound),
            ($"/api/v1/locations/{world.Alice.HomeLocationId}", HttpStatusCode.NotFound),
            ($"/api/v1/recipients/{world.Ayu.RecipientId}", HttpStatusCode.NotFound),
            ($"/api/v1/quotas/programmes/{world.ProgrammeId}/progress", HttpStatusCode.Forbidden),
            ($"/api/v1/distribution/reports/programmes/{world.ProgrammeId}", HttpStatusCode.Forbidden),
            ($"/api/v1/kits/plans/{world.KitPlanId}", HttpStatusCode.NotFound),
            ($"/api/v1/handovers/{world.Ayu.IssuedHandoverId}", HttpStatusCode.NotFound),
        })
        {
            var unknownPath = records.Aggregate(path.Replace(world.ProgrammeId, unknownProgramme, StringComparison.Ordinal),
                (p, id) => p.Replace(id, unknownRecord, StringComparison.Ordinal));
            using var foreign = await hst.GetAsync(path);
            using var unknown = await hst.GetAsync(unknownPath);
            var foreignBody = await foreign.Content.ReadAsStringAsync();
            Assert.True(refused == foreign.StatusCode, $"{path}: {(int)foreign.StatusCode} {foreignBody}");
            Assert.Equal(refused, unknown.StatusCode);
            Assert.Equal(
                Masked(await unknown.Content.ReadAsStringAsync(), unknownProgramme, unknownRecord),
                Masked(foreignBody, [world.ProgrammeId, .. records]));
            using var own = await hsu.GetAsync(path);
            Assert.True(own.StatusCode == HttpStatusCode.OK, $"{path} for its own office: {(int)own.StatusCode} {await own.Content.ReadAsStringAsync()}");
        }
        foreach (var list in new[] { "/api/v1/locations?pageSize=200", "/api/v1/recipients?pageSize=200", "/api/v1/stock/balances?locationKind=LOCATION_KIND_TRAINEE_HOME" })
        {
            using var listed = await hst.GetAsync(list);
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            var body = await listed.Content.ReadAsStringAsync();
            Assert.DoesNotContain(world.Alice.HomeLocationId, body, StringComparison.Ordinal);
            Assert.DoesNotContain(world.Ayu.RecipientId, body, StringComparison.Ordinal);
            Assert.DoesNotContain(world.WarehouseId, body, StringComparison.Ordinal);
        }
        using var handovers = await hst.GetAsync("/api/v1/handovers");
        Assert.Equal(HttpStatusCode.OK, handovers.StatusCode);
        Assert.DoesNotContain(world.Ayu.IssuedHandoverId, await handovers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>An error body with the ids it names taken out (and any trace id), to compare two answers.</summary>
    private static string Masked(string body, params string[] ids) =>
        System.Text.RegularExpressions.Regex.Replace(
            ids.Aggregate(body, (b, id) => b.Replace(id, "{id}", StringComparison.Ordinal)), "\"traceId\"\\s*:\\s*\"[^\"]*\"", "\"traceId\":\"\"");
}
