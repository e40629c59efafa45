using System.Text.Json;
using Bimtek.Coordinator.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bimtek.Gateway.Tests.Support;

/// <summary>
/// One stand-in host per service, authenticating like the real ones (ServiceDefaults' gateway-token
/// validation against the gateway's public key, authenticated callers only). Every path answers with what
/// arrived — backend, method, path, the verified subject and roles, and the headers — and the coordinator's
/// stand-in also serves QuotaService over gRPC for the unary and streaming tests.
/// </summary>
public sealed class FakeBackends : IAsyncDisposable
{
    public const string BackendHeader = "X-Fake-Backend";

    private readonly Dictionary<string, WebTestHost> _hosts;

    private FakeBackends(Dictionary<string, WebTestHost> hosts) => _hosts = hosts;

    public TestHost this[string service] => _hosts[service];

    public static async Task<FakeBackends> StartAsync()
    {
        var hosts = new Dictionary<string, WebTestHost>();
        foreach (var service in ProtoRoutes.ServiceNames)
        {
            hosts[service] = await StartOneAsync(service);
        }
        return new FakeBackends(hosts);
    }

    private static Task<WebTestHost> StartOneAsync(string service) => WebTestHost.StartAsync(
        builder =>
        {
            builder.AddGatewayTokenAuthentication();
            // Unknown gRPC paths fall through to the echo endpoint instead of UNIMPLEMENTED.
            builder.Services.AddGrpc(o => o.IgnoreUnknownServices = true);
        },
        app =>
        {
            app.Use((context, next) =>
            {
                context.Response.Headers[BackendHeader] = service;
                return next(context);
            });
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/healthz", () => Results.Ok()).AllowAnonymous();
            app.MapGet("/readyz", () => Results.Json(new { status = "Healthy" })).AllowAnonymous();
            if (service == "coordinator")
            {
                app.MapGrpcService<FakeQuotaService>();
            }
            app.Map("/{**path}", context => EchoAsync(context, service));
        },
        new Dictionary<string, string?> { ["Auth:PublicKeyPem"] = Callers.GatewayPublicKeyPem });

    private static Task EchoAsync(HttpContext context, string service)
    {
        var caller = Caller.From(context.User);
        var echo = new Echo(service, context.Request.Method, context.Request.Path + context.Request.QueryString, caller.Subject,
            [.. caller.Roles.Order(StringComparer.Ordinal)],
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), caller.Office);
        return context.Response.WriteAsJsonAsync(echo);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync();
        }
    }
}

/// <summary>What a stand-in backend saw of a request.</summary>
public sealed record Echo(string Backend, string Method, string Path, string Subject, string[] Roles, Dictionary<string, string> Headers, string Office = "")
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public static async Task<Echo> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<Echo>(await response.Content.ReadAsStringAsync(), _json)
        ?? throw new InvalidOperationException("No echo body.");

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>QuotaService as far as the tests need it: it answers with the caller the service verified.</summary>
public sealed class FakeQuotaService : QuotaService.QuotaServiceBase
{
    public override Task<ProgrammeProgress> GetProgrammeProgress(GetProgrammeProgressRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return Task.FromResult(new ProgrammeProgress
        {
            Summary = new ProgrammeSummary
            {
                ProgrammeId = request.ProgrammeId,
                ProductCode = caller.Subject,
                TimeZone = string.Join(",", caller.Roles.Order(StringComparer.Ordinal)),
            },
        });
    }

    public override async Task WatchProgrammeProgress(WatchProgrammeProgressRequest request, IServerStreamWriter<ProgrammeProgressUpdate> responseStream,
        ServerCallContext context)
    {
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            await responseStream.WriteAsync(new ProgrammeProgressUpdate
            {
                Summary = new ProgrammeSummary { ProgrammeId = request.ProgrammeId, ProductCode = context.GetCaller().Subject },
                Snapshot = sequence == 1,
                Sequence = sequence,
            }, context.CancellationToken);
            await Task.Delay(20, context.CancellationToken);
        }
    }
}
