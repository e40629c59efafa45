using System.Net;
using System.Text.Json;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

/// <summary>
/// A read route names an id production (or participants, or the materials catalogue) does not know:
/// HTTP 404 with reason NOT_FOUND naming the resource — never 200 with an empty view. The same route with
/// known ids answers 200, so the 404 is about the id and nothing else.
/// </summary>
public sealed class NotFoundTests
{
    [Theory]
    [InlineData("/api/v1/production/products/{product}/defect-checklist", "product")]
    [InlineData("/api/v1/production/programmes/{programme}/defect-counts", "programme")]
    [InlineData("/api/v1/production/programmes/{programme}/totals", "programme")]
    [InlineData("/api/v1/production/programmes/{programme}/trainees/{trainee}/daily-series", "programme")]
    [InlineData("/api/v1/production/programmes/{programme}/trainees/{trainee}/daily-series", "trainee")]
    public async Task A_read_route_with_an_unknown_id_is_404_not_found(string route, string unknownPart)
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "production-not-found");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        using var http = host.CreateHttpClient(TestTokens.Operator());
        var unknown = unknownPart == "product" ? "NO-SUCH-PRODUCT" : Guid.NewGuid().ToString();

        string Url(string? replace) => route
            .Replace("{product}", replace == "product" ? unknown : p.ProductCode, StringComparison.Ordinal)
            .Replace("{programme}", replace == "programme" ? unknown : p.Id, StringComparison.Ordinal)
            .Replace("{trainee}", replace == "trainee" ? unknown : p.Trainees[0].Id, StringComparison.Ordinal);
        using var found = await http.GetAsync(Url(null));
        using var missing = await http.GetAsync(Url(unknownPart));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var body = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.Equal($"{unknownPart} '{unknown}' was not found.", body.RootElement.GetProperty("message").GetString());
        var details = body.RootElement.GetProperty("details").EnumerateArray().ToList();
        Assert.Contains(details, d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal)
            && d.GetProperty("reason").GetString() == "NOT_FOUND");
        Assert.Contains(details, d => d.GetProperty("@type").GetString()!.EndsWith("google.rpc.ResourceInfo", StringComparison.Ordinal)
            && d.GetProperty("resourceName").GetString() == unknown);
    }

    [Fact]
    public async Task A_daily_series_names_an_unknown_trainee_to_staff_and_answers_a_trainee_alike_for_unknown_and_anothers_id()
    {
        using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite, "production-not-found-roles");
        await using var fakes = await FakeSuite.StartAsync();
        var p = MaskProgramme(fakes);
        await using var host = StartProduction(db, fakes);
        var series = (ProductionService.ProductionServiceClient client, string trainee) =>
            client.GetTraineeDailySeriesAsync(new GetTraineeDailySeriesRequest { ProgrammeId = p.Id, TraineeId = trainee }).ResponseAsync;

        // An instructor of the programme: a trainee of it with nothing reported yet has a series of zeros; an unknown id is NOT_FOUND.
        var zeros = await series(host.AsInstructor(p), p.Trainees[1].Id);
        Assert.Equal(3, zeros.Days.Count);
        Assert.All(zeros.Days, d => Assert.Equal(0, d.ReportedUnits));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => series(host.AsInstructor(p), Guid.NewGuid().ToString()));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        // A trainee: another's id and an unknown id get the same answer and the same message.
        var another = await Assert.ThrowsAsync<RpcException>(() => series(host.AsTrainee(p.Trainees[0]), p.Trainees[1].Id));
        var nobody = await Assert.ThrowsAsync<RpcException>(() => series(host.AsTrainee(p.Trainees[0]), Guid.NewGuid().ToString()));
        Assert.Equal(StatusCode.PermissionDenied, another.StatusCode);
        Assert.Equal(another.StatusCode, nobody.StatusCode);
        Assert.Equal(another.Status.Detail, nobody.Status.Detail);
    }
}
