using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bimtek.Gateway.Security;
using Bimtek.Gateway.Tests.Support;
using Bimtek.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Gateway.Tests;

/// <summary>The five real services in-process behind the gateway, with Alice's, Budi's, Ayu's and Bayu's records set up once.</summary>
public sealed class BolaFixture : IAsyncLifetime
{
    private readonly StringWriter _log = new();

    public InProcessSuite Suite { get; private set; } = null!;

    public BolaWorld World { get; private set; } = null!;

    public string SetupLog => _log.ToString();

    public async Task InitializeAsync()
    {
        Suite = await InProcessSuite.StartAsync();
        World = await BolaWorld.CreateAsync(Suite.Gateway, _log);
    }

    public async Task DisposeAsync()
    {
        if (Suite is not null)
        {
            await Suite.DisposeAsync();
        }
    }
}

/// <summary>
/// Broken object-level authorisation through the gateway, route by route: a trainee (Alice) and a recipient
/// agency's user (Ayu) reach their own records and never another person's (Budi's, Bayu's agency's), reading or
/// writing, and learn nothing about ids that do not exist. The table is checked against the gateway's own
/// route configuration, so a route newly opened to these roles without a row here fails the build.
/// </summary>
public sealed partial class BolaTests(BolaFixture fixture) : IClassFixture<BolaFixture>
{
    public static TheoryData<string> TraineeRoutes() => [.. BolaTable.Trainee.Select(r => r.Key)];

    public static TheoryData<string> RecipientRoutes() => [.. BolaTable.Recipient.Select(r => r.Key)];

    [Theory]
    [MemberData(nameof(TraineeRoutes))]
    public Task A_trainee_reaches_only_her_own_records(string route)
    {
        var world = fixture.World;
        return CheckAsync(BolaTable.Trainee.Single(r => r.Key == route), Callers.Person(world.Alice.Subject, [Roles.Trainee]), world.Alice, world.Budi);
    }

    [Theory]
    [MemberData(nameof(RecipientRoutes))]
    public Task A_recipient_user_reaches_only_their_agency_records(string route)
    {
        var world = fixture.World;
        return CheckAsync(BolaTable.Recipient.Single(r => r.Key == route), Callers.Person(world.Ayu.Subject, [Roles.Recipient]), world.Ayu, world.Bayu);
    }

    /// <summary>
    /// The route table again, now in front of the real services: anonymous → 401 and a role the route does not
    /// admit → 403, both without reaching the service; an admitted role reaches the owning service, which accepts
    /// the gateway's token (whatever it then says about the sample ids, it is not 401).
    /// </summary>
    [Theory]
    [MemberData(nameof(RouteTableTests.RestRoutes), MemberType = typeof(RouteTableTests))]
    public async Task Every_rest_route_reaches_its_real_service_only_for_admitted_roles(string service, string verb, string template)
    {
        var gateway = fixture.Suite.Gateway;
        var call = new Call(new HttpMethod(verb.ToUpperInvariant()), ProtoRoutes.Concrete(template), verb is "post" or "put" or "patch" ? [] : null);
        var before = gateway.Router.Requests(service);
        using (var anonymous = gateway.Client())
        {
            var (status, body) = await SendAsync(anonymous, call);
            Assert.True(status == HttpStatusCode.Unauthorized, $"anonymous {call.Method} {call.Path}: {(int)status} {Trim(body)}");
            Assert.Equal(before, gateway.Router.Requests(service));
        }
        foreach (var role in Callers.AllRoles)
        {
            using var client = gateway.ClientFor(role);
            var (status, body) = await SendAsync(client, call);
            var reached = gateway.Router.Requests(service) - before;
            before += reached;
            if (RouteTableTests.AdmittedRoles(service, call.Path).Contains(role))
            {
                Assert.True(reached == 1, $"{role} {call.Method} {call.Path} did not reach {service}: {(int)status} {Trim(body)}");
                Assert.True(status != HttpStatusCode.Unauthorized, $"{service} refused the gateway's token for {role}: {Trim(body)}");
            }
            else
            {
                Assert.True(status == HttpStatusCode.Forbidden && reached == 0, $"{role} {call.Method} {call.Path}: {(int)status}, reached {reached}");
            }
        }
    }

    [Fact]
    public void The_bola_tables_cover_every_route_a_person_role_can_reach()
    {
        var configuration = fixture.Suite.Gateway.Services.GetRequiredService<IConfiguration>();
        var routes = GatewayRoutes(configuration);
        Assert.Contains(routes, r => r.Policy == GatewayPolicies.Grpc);

        foreach (var (role, table) in new[] { (Roles.Trainee, BolaTable.Trainee), (Roles.Recipient, BolaTable.Recipient) })
        {
            var reachable = ProtoRoutes.RestBindings
                .Where(b => RolesOf(Route(routes, ProtoRoutes.Concrete(b.Path)))?.Contains(role) == true)
                .Select(b => $"{b.Verb.ToUpperInvariant()} {b.Path}")
                .ToHashSet();
            var covered = table.Select(r => r.Key).ToHashSet();
            Assert.True(covered.Count == table.Count, $"{role}: a route is listed twice");
            var missing = reachable.Except(covered).Order().ToList();
            var extra = covered.Except(reachable).Order().ToList();
            Assert.True(missing.Count == 0, $"{role} can reach routes the BOLA table does not cover: {string.Join(", ", missing)}");
            Assert.True(extra.Count == 0, $"the {role} BOLA table lists routes the gateway does not open to {role}: {string.Join(", ", extra)}");
            Assert.NotEmpty(reachable);

            // gRPC: no method may be open to a person role without rows here (today the gRPC policy admits systems only).
            var grpcReachable = ProtoRoutes.All.Where(rpc => RolesOf(Route(routes, rpc.GrpcPath))?.Contains(role) == true).ToList();
            Assert.True(grpcReachable.Count == 0, $"{role} can call gRPC methods the BOLA table does not cover: {string.Join(", ", grpcReachable)}");
        }
    }

    private async Task CheckAsync(BolaRoute route, string token, Owner me, Owner other)
    {
        var world = fixture.World;
        using var client = fixture.Suite.Gateway.Client(bearer: token);
        // Identity headers a client might forge to pass as someone else: the gateway strips them, so they change nothing.
        client.DefaultRequestHeaders.Add("X-User-Id", other.Subject);
        client.DefaultRequestHeaders.Add("X-Roles", Roles.Operator);
        client.DefaultRequestHeaders.Add("X-Forwarded-User", other.Subject);
        client.DefaultRequestHeaders.Add("X-Auth-Subject", other.Subject);
        var unknown = Owner.Unknown();
        var own = route.Make(world, me);

        var (ownStatus, ownBody) = await SendAsync(client, own);
        var (otherStatus, otherBody) = await SendAsync(client, route.Make(world, other));
        var (unknownStatus, unknownBody) = await SendAsync(client, route.Make(world, unknown));
        var context = $"{route.Key} as {me.Name}: own {(int)ownStatus}, {other.Name}'s {(int)otherStatus}, unknown {(int)unknownStatus}\n"
            + $"own: {Trim(ownBody)}\nother: {Trim(otherBody)}\nunknown: {Trim(unknownBody)}";

        switch (route.Scope)
        {
            case Scope.Own:
                Assert.True(IsSuccess(ownStatus), context);
                Assert.True(otherStatus == HttpStatusCode.Forbidden, context);
                Assert.True(unknownStatus == HttpStatusCode.Forbidden, context);
                Assert.Contains("PERMISSION_DENIED", otherBody);
                break;
            case Scope.OwnList:
                Assert.True(IsSuccess(ownStatus), context);
                if (route.OwnMarker is { } marker)
                {
                    Assert.True(ownBody.Contains(marker(me), StringComparison.Ordinal), $"own rows missing\n{context}");
                }
                Assert.True(otherStatus == HttpStatusCode.Forbidden || IsSuccess(otherStatus), context);
                Assert.True(unknownStatus == HttpStatusCode.Forbidden || IsSuccess(unknownStatus), context);
                // The same list without the person filter: refused (403, or 400 where a filter is required), or only the caller's rows.
                var (unfilteredStatus, unfilteredBody) = await SendAsync(client, WithoutOwner(own, me));
                Assert.True(unfilteredStatus is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest || IsSuccess(unfilteredStatus),
                    $"unfiltered {(int)unfilteredStatus}\n{context}");
                NoneOf(other, unfilteredBody, $"unfiltered\n{context}");
                break;
            case Scope.Shared:
                Assert.True(IsSuccess(ownStatus), context);
                break;
            case Scope.NotForThem:
                Assert.True(ownStatus == HttpStatusCode.Forbidden, context);
                Assert.True(otherStatus == HttpStatusCode.Forbidden, context);
                Assert.True(unknownStatus == HttpStatusCode.Forbidden, context);
                break;
        }
        // Whatever the route, nothing of the other person's comes back to the caller.
        NoneOf(other, ownBody, context);
        NoneOf(other, otherBody, context);
        NoneOf(other, unknownBody, context);
    }

    private static void NoneOf(Owner other, string body, string context)
    {
        foreach (var marker in other.Markers)
        {
            Assert.False(body.Contains(marker, StringComparison.Ordinal), $"{other.Name}'s record {marker} leaked\n{context}");
        }
    }

    /// <summary>The own call with every query parameter naming the caller's records removed.</summary>
    private static Call WithoutOwner(Call call, Owner me)
    {
        var parts = call.Path.Split('?', 2);
        if (parts.Length == 1)
        {
            return call;
        }
        var kept = parts[1].Split('&').Where(p => !me.Markers.Any(m => p.EndsWith("=" + m, StringComparison.Ordinal)));
        var query = string.Join("&", kept);
        return call with { Path = query.Length == 0 ? parts[0] : parts[0] + "?" + query };
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, Call call)
    {
        using var request = new HttpRequestMessage(call.Method, call.Path);
        if (call.Body is not null)
        {
            var body = (JsonObject)call.Body.DeepClone();
            body["requestId"] = Guid.NewGuid().ToString();
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        // A streaming route that wrongly admitted the caller would never end: read what arrives within a few seconds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            text = "(stream still open)";
        }
        return (response.StatusCode, text);
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static string Trim(string body) => body.Length > 400 ? body[..400] + "…" : body;

    // ----- the gateway's routes, from its configuration (ReverseProxy:Routes) -----

    private sealed record GatewayRoute(string Name, Regex Pattern, int Order, string Policy);

    private static List<GatewayRoute> GatewayRoutes(IConfiguration configuration) =>
        [.. configuration.GetSection("ReverseProxy:Routes").GetChildren().Select(section => new GatewayRoute(
            section.Key,
            PatternOf(section["Match:Path"] ?? ""),
            int.TryParse(section["Order"], out var order) ? order : 0,
            section["AuthorizationPolicy"] ?? ""))];

    /// <summary>A YARP path template as a regex: <c>/{**rest}</c> matches the prefix and anything below it, <c>{x}</c> one segment.</summary>
    private static Regex PatternOf(string template)
    {
        var pattern = new StringBuilder("^");
        var index = 0;
        foreach (Match m in RouteParameter().Matches(template))
        {
            var literal = template[index..m.Index];
            if (m.Value.StartsWith("{**", StringComparison.Ordinal))
            {
                pattern.Append(Regex.Escape(literal.TrimEnd('/'))).Append("(/.*)?");
            }
            else
            {
                pattern.Append(Regex.Escape(literal)).Append("[^/]+");
            }
            index = m.Index + m.Length;
        }
        pattern.Append(Regex.Escape(template[index..])).Append('$');
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant);
    }

    private static GatewayRoute? Route(List<GatewayRoute> routes, string path) =>
        routes.Where(r => r.Pattern.IsMatch(path)).OrderBy(r => r.Order).FirstOrDefault();

    private static string[]? RolesOf(GatewayRoute? route) =>
        route is not null && GatewayPolicies.RolesByPolicy.TryGetValue(route.Policy, out var roles) ? roles : null;

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
