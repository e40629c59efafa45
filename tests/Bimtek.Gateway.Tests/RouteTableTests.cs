using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// Every REST binding and every gRPC method in protos/, through the gateway: anonymous → 401, a role the
/// route does not admit → 403, an admitted role → proxied to the owning service with the caller's identity.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RouteTableTests(GatewayFixture fixture)
{
    /// <summary>The access matrix the gateway promises (coarse; services refine per RPC and per record).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RestRoles = new Dictionary<string, string[]>
    {
        ["participants"] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        ["materials"] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        ["production"] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        ["distribution"] = [Roles.Operator, Roles.Integrator, Roles.Recipient],
        ["coordinator"] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
        ["notifications"] = [Roles.Operator, Roles.Instructor, Roles.HealthExpert, Roles.Trainee, Roles.Integrator],
    };

    /// <summary>Routes with their own roles (identity's): trainees' codes for operators and instructors, invitations for operators.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RestRolesByPrefix = new Dictionary<string, string[]>
    {
        ["/api/v1/sign-in-codes"] = [Roles.Operator, Roles.Instructor],
        ["/api/v1/invitations"] = [Roles.Operator],
    };

    /// <summary>The roles the gateway admits to a concrete REST path of a service.</summary>
    public static string[] AdmittedRoles(string service, string path) =>
        RestRolesByPrefix.FirstOrDefault(p => path == p.Key || path.StartsWith(p.Key + "/", StringComparison.Ordinal)).Value ?? RestRoles[service];

    public static TheoryData<string, string, string> RestRoutes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (rpc, verb, path) in ProtoRoutes.RestBindings)
        {
            data.Add(rpc.Service, verb, path);
        }
        return data;
    }

    public static TheoryData<string, string, bool> GrpcMethods()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var rpc in ProtoRoutes.All.Where(r => !r.InInternalService))
        {
            data.Add(rpc.Service, rpc.GrpcPath, rpc.IsInternal);
        }
        return data;
    }

    public static TheoryData<string> InternalServiceMethods()
    {
        var data = new TheoryData<string>();
        foreach (var rpc in ProtoRoutes.All.Where(r => r.InInternalService))
        {
            data.Add(rpc.GrpcPath);
        }
        return data;
    }

    [Fact]
    public void The_table_covers_every_service_and_the_internal_rpcs()
    {
        Assert.Equal(ProtoRoutes.ServiceNames.Order(), ProtoRoutes.RestBindings.Select(b => b.Rpc.Service).Distinct().Order());
        Assert.True(ProtoRoutes.RestBindings.Count() > 80);
        var internalRpcs = ProtoRoutes.All.Where(r => r.IsInternal).Select(r => r.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "ConsumeForOutput", "ReceiveAcceptedGoods", "CheckEnrolment", "OpenBehindScheduleRequest", "ApplyOutputRecorded" }, internalRpcs);
        // Internal RPCs live in their own …InternalService, which has no REST binding; the public services keep none of
        // them. The only public RPCs without a REST binding are notifications' contact calls (services only here).
        Assert.Superset(
            new HashSet<string>
            {
                "ApplyProgrammeChange", "ApplyEnrolmentChange", "ApplyOutputRecorded", "ApplyInspectionResult", "ConsumeForOutput",
                "CheckEnrolment", "OpenBehindScheduleRequest", "ReceiveAcceptedGoods", "ReceiveEvent", "ApplyAccountChange",
            },
            ProtoRoutes.All.Where(r => r.InInternalService).Select(r => r.Name).ToHashSet());
        Assert.All(ProtoRoutes.All.Where(r => r.InInternalService), r => Assert.Empty(r.Bindings));
        Assert.Equal(["GetContact", "SetContact"], ProtoRoutes.All.Where(r => !r.InInternalService && r.Bindings.Count == 0).Select(r => r.Name).Order());
    }

    [Theory]
    [MemberData(nameof(InternalServiceMethods))]
    public async Task An_internal_service_is_never_routed_whoever_calls(string grpcPath)
    {
        var before = fixture.Gateway.Router.TotalRequests;

        using (var anonymous = await SendGrpcAsync(fixture.Gateway.Client(), grpcPath))
        {
            Assert.Equal("16", GrpcStatus(anonymous));
        }
        // Every role, the service identity included: the gateway has no route to an internal service, so it answers
        // as for any unknown service (UNIMPLEMENTED), and the backend (whose stand-in would echo any path) sees nothing.
        foreach (var role in Callers.AllRoles)
        {
            using var response = await SendGrpcAsync(fixture.Gateway.ClientFor(role), grpcPath);
            Assert.True(GrpcStatus(response) == "12", $"{role} {grpcPath}: grpc-status {GrpcStatus(response)}");
            Assert.False(response.Headers.Contains(FakeBackends.BackendHeader), $"{role} {grpcPath} was proxied");
        }
        Assert.Equal(before, fixture.Gateway.Router.TotalRequests);
    }

    [Theory]
    [MemberData(nameof(RestRoutes))]
    public async Task Rest_route_admits_exactly_its_roles(string service, string verb, string template)
    {
        var path = ProtoRoutes.Concrete(template);

        using (var anonymous = await SendAsync(fixture.Gateway.Client(), verb, path))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("\"code\":16", await anonymous.Content.ReadAsStringAsync());
            Assert.False(anonymous.Headers.Contains(FakeBackends.BackendHeader));
        }

        var admitted = AdmittedRoles(service, path);
        Assert.Contains(Callers.AllRoles, role => !admitted.Contains(role));
        foreach (var role in Callers.AllRoles)
        {
            using var response = await SendAsync(fixture.Gateway.ClientFor(role), verb, path);
            if (admitted.Contains(role))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} {verb} {path}: {response.StatusCode}");
                var echo = await Echo.ReadAsync(response);
                Assert.Equal(service, echo.Backend);
                Assert.Equal(verb.ToUpperInvariant(), echo.Method);
                Assert.Equal(path, echo.Path);
                Assert.Equal($"key-{role}", echo.Subject);
                Assert.Equal([role], echo.Roles);
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} {verb} {path}: {response.StatusCode}");
                Assert.Contains("\"code\":7", await response.Content.ReadAsStringAsync());
                Assert.False(response.Headers.Contains(FakeBackends.BackendHeader));
            }
        }
    }

    [Theory]
    [MemberData(nameof(GrpcMethods))]
    public async Task Grpc_method_admits_systems_and_internal_methods_only_services(string service, string grpcPath, bool isInternal)
    {
        using (var anonymous = await SendGrpcAsync(fixture.Gateway.Client(), grpcPath))
        {
            Assert.Equal("16", GrpcStatus(anonymous));
            Assert.False(anonymous.Headers.Contains(FakeBackends.BackendHeader));
        }
        string[] admitted = isInternal ? [Roles.Service] : [Roles.Operator, Roles.Integrator, Roles.Service];
        foreach (var role in Callers.AllRoles)
        {
            using var response = await SendGrpcAsync(fixture.Gateway.ClientFor(role), grpcPath);
            if (admitted.Contains(role))
            {
                Assert.True(response.Headers.TryGetValues(FakeBackends.BackendHeader, out var backend), $"{role} {grpcPath} was not proxied");
                Assert.Equal(service, Assert.Single(backend));
            }
            else
            {
                Assert.True(GrpcStatus(response) == "7", $"{role} {grpcPath}: grpc-status {GrpcStatus(response)}");
                Assert.False(response.Headers.Contains(FakeBackends.BackendHeader));
            }
        }
    }

    [Theory]
    [InlineData("GET", "/api/v1")]
    [InlineData("GET", "/api/v1/unknown-things")]
    [InlineData("GET", "/api/v1/programmesx")]
    [InlineData("GET", "/api/v2/programmes")]
    [InlineData("GET", "/admin")]
    [InlineData("POST", "/internal/outbox")]
    [InlineData("GET", "/programmes")]
    [InlineData("POST", "/bimtek.participants.v1.ParticipantsService/NoSuchMethod")]
    [InlineData("POST", "/bimtek.unknown.v1.Service/Method")]
    public async Task An_unlisted_path_is_never_proxied(string verb, string path)
    {
        var before = fixture.Gateway.Router.TotalRequests;

        using var anonymous = await SendAsync(fixture.Gateway.Client(), verb, path);
        using var operatorResponse = await SendAsync(fixture.Gateway.ClientFor(Roles.Operator), verb, path);
        using var serviceResponse = await SendAsync(fixture.Gateway.ClientFor(Roles.Service), verb, path);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(operatorResponse.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
        Assert.Contains(serviceResponse.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
        Assert.False(operatorResponse.Headers.Contains(FakeBackends.BackendHeader));
        Assert.Equal(before, fixture.Gateway.Router.TotalRequests);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string verb, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(verb.ToUpperInvariant()), path);
        if (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put || request.Method == HttpMethod.Patch)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendGrpcAsync(HttpClient client, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent([0, 0, 0, 0, 0]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        return client.SendAsync(request);
    }

    private static string? GrpcStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues("grpc-status", out var values) ? values.First()
        : response.TrailingHeaders.TryGetValues("grpc-status", out var trailers) ? trailers.First() : null;
}
