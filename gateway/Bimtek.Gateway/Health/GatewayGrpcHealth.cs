using Bimtek.Gateway.Contracts;
using Bimtek.ServiceDefaults.Health;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bimtek.Gateway.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c> on the gateway's port. The empty name is the front door as a whole (every service
/// ready, as <c>/readyz</c>); a service's full name (<c>bimtek.participants.v1.ParticipantsService</c>) is that
/// service's readiness as the gateway sees it (<see cref="DownstreamReadinessCheck"/>); any other name is NOT_FOUND,
/// as the protocol asks. Watch sends the status, then each change.
/// </summary>
public sealed class GatewayGrpcHealth(HealthCheckService checks) : Grpc.Health.V1.Health.HealthBase
{
    private static readonly TimeSpan _watchInterval = TimeSpan.FromSeconds(5);

    private static readonly Dictionary<string, string> _checkByService = ContractCatalog.Services
        .ToDictionary(s => s.Service.FullName, s => s.Name, StringComparer.Ordinal);

    public override async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        new() { Status = await StatusAsync(request.Service, context.CancellationToken) };

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        HealthCheckResponse.Types.ServingStatus? last = null;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var status = await StatusAsync(request.Service, context.CancellationToken);
            if (status != last)
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken);
                last = status;
            }
            await Task.Delay(_watchInterval, context.CancellationToken);
        }
    }

    private async Task<HealthCheckResponse.Types.ServingStatus> StatusAsync(string service, CancellationToken cancellationToken)
    {
        Func<HealthCheckRegistration, bool> predicate;
        if (service.Length == 0)
        {
            predicate = r => r.Tags.Contains(HealthEndpoints.ReadyTag);
        }
        else if (_checkByService.TryGetValue(service, out var check))
        {
            predicate = r => r.Name == check;
        }
        else
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No service named '{service}' is served here."));
        }
        var report = await checks.CheckHealthAsync(predicate, cancellationToken);
        return report.Status == HealthStatus.Healthy
            ? HealthCheckResponse.Types.ServingStatus.Serving
            : HealthCheckResponse.Types.ServingStatus.NotServing;
    }
}
