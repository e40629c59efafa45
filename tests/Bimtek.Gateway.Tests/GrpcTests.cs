using Bimtek.Coordinator.V1;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using StatusCode = Grpc.Core.StatusCode;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// gRPC through the gateway to a service's h2c endpoint: unary, server streaming, internal services left unrouted, the rich
/// details of the gateway's own errors, and reflection and health on the gateway's port.
/// </summary>
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
    public async Task An_internal_service_is_not_routed_even_for_services()
    {
        var request = new ApplyOutputRecordedRequest { RequestId = Guid.NewGuid().ToString() };
        var proxiedBefore = fixture.Gateway.Router.TotalRequests;
        foreach (var role in new[] { Roles.Operator, Roles.Integrator, Roles.Service })
        {
            var client = new QuotaInternalService.QuotaInternalServiceClient(fixture.Gateway.Channel(Callers.ApiKeyFor(role)));
            var error = await Assert.ThrowsAsync<RpcException>(() => client.ApplyOutputRecordedAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
            Assert.Equal("NOT_FOUND", error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        }
        Assert.Equal(proxiedBefore, fixture.Gateway.Router.TotalRequests);
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

    [Fact]
    public async Task Errors_the_gateway_makes_carry_the_same_rich_details_as_the_services()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>
        {
            ["Gateway:RateLimit:TokenLimit"] = "1",
            ["Gateway:RateLimit:TokensPerPeriod"] = "1",
            ["Gateway:RateLimit:ReplenishmentPeriod"] = "00:00:10",
        });
        var request = new GetProgrammeProgressRequest { ProgrammeId = "p" };
        var anonymous = new QuotaService.QuotaServiceClient(gateway.Channel(null));
        var trainee = new QuotaService.QuotaServiceClient(gateway.Channel(Callers.ApiKeyFor(Roles.Trainee)));
        var integrator = new QuotaService.QuotaServiceClient(gateway.Channel(Callers.ApiKeyFor(Roles.Integrator)));

        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => anonymous.GetProgrammeProgressAsync(request).ResponseAsync);
        var denied = await Assert.ThrowsAsync<RpcException>(() => trainee.GetProgrammeProgressAsync(request).ResponseAsync);
        await integrator.GetProgrammeProgressAsync(request);
        var limited = await Assert.ThrowsAsync<RpcException>(() => integrator.GetProgrammeProgressAsync(request).ResponseAsync);
        gateway.Router.Set("coordinator", BackendRouter.Mode.Stopped);
        var operatorClient = new QuotaService.QuotaServiceClient(gateway.Channel(Callers.ApiKeyFor(Roles.Operator)));
        var unavailable = await Assert.ThrowsAsync<RpcException>(() => operatorClient.GetProgrammeProgressAsync(request).ResponseAsync);

        AssertDetails(unauthenticated, StatusCode.Unauthenticated, "UNAUTHENTICATED", retry: false);
        AssertDetails(denied, StatusCode.PermissionDenied, "PERMISSION_DENIED", retry: false);
        AssertDetails(limited, StatusCode.ResourceExhausted, "RATE_LIMITED", retry: true);
        AssertDetails(unavailable, StatusCode.Unavailable, "UNAVAILABLE", retry: true);
    }

    [Fact]
    public async Task Reflection_on_the_gateway_port_lists_and_describes_only_the_public_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Gateway.Channel(null));
        var proxiedBefore = fixture.Gateway.Router.TotalRequests;

        using var call = reflection.ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "bimtek.production.v1.ProductionService" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "bimtek.coordinator.v1.QuotaInternalService" });
        await call.RequestStream.CompleteAsync();
        var answers = await call.ResponseStream.ReadAllAsync().ToListAsync();

        var listed = answers[0].ListServicesResponse.Service.Select(s => s.Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "bimtek.participants.v1.ParticipantsService", "bimtek.materials.v1.MaterialsService",
            "bimtek.production.v1.ProductionService", "bimtek.distribution.v1.DistributionService",
            "bimtek.coordinator.v1.QuotaService", "grpc.health.v1.Health",
        }, listed);
        // Internal services (…InternalService) are the services' own business: not listed, not described.
        Assert.DoesNotContain(listed, name => name.EndsWith("InternalService", StringComparison.Ordinal));
        Assert.Equal((int)StatusCode.NotFound, answers[2].ErrorResponse.ErrorCode);
        var files = answers[1].FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes)).ToList();
        var production = Assert.Single(files, f => f.Name.EndsWith("production.proto", StringComparison.Ordinal));
        Assert.Contains(production.Service.Single().Method, m => m.Name == "ReportOutput");
        // Older tools speak v1alpha.
        using var alpha = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(fixture.Gateway.Channel(null))
            .ServerReflectionInfo(deadline: DateTime.UtcNow.AddSeconds(10));
        await alpha.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await alpha.RequestStream.CompleteAsync();
        var alphaListed = (await alpha.ResponseStream.ReadAllAsync().SingleAsync()).ListServicesResponse.Service.Select(s => s.Name);
        Assert.Contains("bimtek.coordinator.v1.QuotaService", alphaListed);
        Assert.DoesNotContain(alphaListed, name => name.EndsWith("InternalService", StringComparison.Ordinal));
        // Answered by the gateway itself: no service saw the request.
        Assert.Equal(proxiedBefore, fixture.Gateway.Router.TotalRequests);
    }

    [Fact]
    public async Task Health_on_the_gateway_port_answers_per_service()
    {
        await using var gateway = fixture.CreateGateway(new Dictionary<string, string?>());
        gateway.Router.Set("coordinator", BackendRouter.Mode.Stopped);
        var health = new Grpc.Health.V1.Health.HealthClient(gateway.Channel(null));

        var participants = await health.CheckAsync(new HealthCheckRequest { Service = "bimtek.participants.v1.ParticipantsService" });
        var coordinator = await health.CheckAsync(new HealthCheckRequest { Service = "bimtek.coordinator.v1.QuotaService" });
        var whole = await health.CheckAsync(new HealthCheckRequest());
        var unknown = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, participants.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, coordinator.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, whole.Status);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    private static void AssertDetails(RpcException error, StatusCode code, string reason, bool retry)
    {
        Assert.Equal(code, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)code, status.Code);
        var info = status.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal(reason, info.Reason);
        Assert.Equal("bimtek.id", info.Domain);
        var retryInfo = status.GetDetail<RetryInfo>();
        if (retry)
        {
            Assert.NotNull(retryInfo);
            Assert.True(retryInfo.RetryDelay.ToTimeSpan() >= TimeSpan.FromSeconds(1));
        }
        else
        {
            Assert.Null(retryInfo);
        }
    }
}
