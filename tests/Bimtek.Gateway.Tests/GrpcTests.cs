using Bimtek.Coordinator.V1;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Gateway.Tests;

/// <summary>gRPC through the gateway to a service's h2c endpoint: unary, server streaming, and the internal-RPC rule.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GrpcTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_unary_call_reaches_the_service_as_the_verified_caller()
    {
        using var channel = fixture.Gateway.Channel(Callers.ApiKeyFor(Roles.Integrator));
        var client = new QuotaService.QuotaServiceClient(channel);

        var progress = await client.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = "masks-2020" },
            deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal("masks-2020", progress.Summary.ProgrammeId);
        Assert.Equal("key-integrator", progress.Summary.ProductCode);
        Assert.Equal(Roles.Integrator, progress.Summary.TimeZone);
    }

    [Fact]
    public async Task A_server_streaming_call_streams_every_message_through_the_gateway()
    {
        using var channel = fixture.Gateway.Channel(Callers.ApiKeyFor(Roles.Operator));
        var client = new QuotaService.QuotaServiceClient(channel);

        using var call = client.WatchProgrammeProgress(new WatchProgrammeProgressRequest { ProgrammeId = "ppe-2020" },
            deadline: DateTime.UtcNow.AddSeconds(10));
        var updates = new List<ProgrammeProgressUpdate>();
        await foreach (var update in call.ResponseStream.ReadAllAsync())
        {
            updates.Add(update);
        }

        Assert.Equal([1L, 2L, 3L], updates.Select(u => u.Sequence));
        Assert.True(updates[0].Snapshot);
        Assert.All(updates, u => Assert.Equal("ppe-2020", u.Summary.ProgrammeId));
        Assert.All(updates, u => Assert.Equal("key-operator", u.Summary.ProductCode));
    }

    [Fact]
    public async Task Callers_without_credentials_or_the_right_role_get_grpc_statuses()
    {
        var anonymous = new QuotaService.QuotaServiceClient(fixture.Gateway.Channel(null));
        var trainee = new QuotaService.QuotaServiceClient(fixture.Gateway.Channel(Callers.ApiKeyFor(Roles.Trainee)));
        var request = new GetProgrammeProgressRequest { ProgrammeId = "p" };

        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => anonymous.GetProgrammeProgressAsync(request).ResponseAsync);
        var denied = await Assert.ThrowsAsync<RpcException>(() => trainee.GetProgrammeProgressAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task An_internal_rpc_is_refused_to_operators_and_integrators_and_served_to_services()
    {
        var request = new ApplyOutputRecordedRequest { RequestId = Guid.NewGuid().ToString() };
        foreach (var role in new[] { Roles.Operator, Roles.Integrator })
        {
            var client = new QuotaService.QuotaServiceClient(fixture.Gateway.Channel(Callers.ApiKeyFor(role)));
            var error = await Assert.ThrowsAsync<RpcException>(() => client.ApplyOutputRecordedAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        }

        var service = new QuotaService.QuotaServiceClient(fixture.Gateway.Channel(Callers.ApiKeyFor(Roles.Service)));
        Assert.NotNull(await service.ApplyOutputRecordedAsync(request));
    }

    [Fact]
    public async Task A_stopped_service_is_unavailable_to_grpc_callers()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>());
        gateway.Router.Set("coordinator", BackendRouter.Mode.Stopped);
        var client = new QuotaService.QuotaServiceClient(gateway.Channel(Callers.ApiKeyFor(Roles.Operator)));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = "p" }, deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
