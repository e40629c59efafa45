using Bimtek.Materials.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;

namespace Bimtek.Audit;

/// <summary>
/// The repair for the one disagreement no outbox mends after databases were restored from backups taken at
/// different moments: a report RECORDED in production (dumped later) whose consumption materials (dumped earlier)
/// lost. Production consumed synchronously, so nothing is left to re-send; this calls materials'
/// ConsumeForOutput again exactly as production did (request_id = report_id) and as production — with a token the
/// gateway issues to production's service client — at materials' own gRPC address (ConsumeForOutput is on the internal
/// MaterialsInternalService, which the gateway does not route). Materials is idempotent on the report id: a report it still holds is answered from
/// its first result and consumes nothing more, so running the repair twice (or on a healthy suite) changes nothing.
/// Reads production and materials read-only; writes only through materials' API.
/// </summary>
internal sealed class ConsumptionRepair(IReadOnlyDictionary<string, string> connectionStrings, MaterialsInternalService.MaterialsInternalServiceClient materials, string bearerToken)
{
    /// <summary>One re-driven report: what was asked and what materials answered.</summary>
    public sealed record Outcome(string ReportId, string ProgrammeId, string TraineeId, int Units, string? Error)
    {
        public override string ToString() => Error is null
            ? $"REPAIRED report {ReportId} of programme {ProgrammeId}: {Units} units of {TraineeId} consumed in materials"
            : $"FAILED   report {ReportId} of programme {ProgrammeId} ({Units} units of {TraineeId}): {Error}";
    }

    public static GrpcChannel Channel(Uri materialsGrpc) => GrpcChannel.ForAddress(materialsGrpc);

    /// <summary>A service token from the gateway's <c>/connect/token</c> (client credentials of a service client).</summary>
    public static async Task<string> TokenAsync(Uri gateway, string clientId, string clientSecret, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        using var response = await http.PostAsync("/connect/token", form, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the gateway refused a token to client {clientId}: HTTP {(int)response.StatusCode} {body}");
        }
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()
            ?? throw new InvalidOperationException("the gateway's token answer holds no access_token");
    }

    /// <summary>Re-drives every RECORDED report (of <paramref name="programmeIds"/>, default all) materials holds no consumption for.</summary>
    public async Task<IReadOnlyList<Outcome>> RunAsync(IReadOnlyList<string> programmeIds, CancellationToken ct)
    {
        var recorded = await RecordedReportsAsync(programmeIds, ct);
        var consumed = await ConsumedReportIdsAsync(programmeIds, ct);
        var outcomes = new List<Outcome>();
        foreach (var report in recorded.Where(r => !consumed.Contains(r.ReportId)))
        {
            try
            {
                await materials.ConsumeForOutputAsync(new ConsumeForOutputRequest
                {
                    RequestId = report.ReportId,
                    ReportId = report.ReportId,
                    TraineeId = report.TraineeId,
                    ProgrammeId = report.ProgrammeId,
                    ProductId = report.ProductId,
                    Units = report.Units,
                }, new Metadata { { "authorization", "Bearer " + bearerToken } }, DateTime.UtcNow.AddSeconds(30), ct);
                outcomes.Add(new Outcome(report.ReportId, report.ProgrammeId, report.TraineeId, report.Units, null));
            }
            catch (RpcException ex)
            {
                outcomes.Add(new Outcome(report.ReportId, report.ProgrammeId, report.TraineeId, report.Units, $"{ex.StatusCode}: {ex.Status.Detail}"));
            }
        }
        return outcomes;
    }

    private sealed record RecordedReport(string ReportId, string ProgrammeId, string TraineeId, string ProductId, int Units);

    private async Task<List<RecordedReport>> RecordedReportsAsync(IReadOnlyList<string> programmeIds, CancellationToken ct)
    {
        await using var connection = await AuditReader.OpenReadOnlyAsync(connectionStrings, "production", ct);
        await using var command = new NpgsqlCommand(
            "SELECT report_id, programme_id, trainee_id, product_id, units FROM output_reports " +
            "WHERE status = 'recorded' AND rework_order_id = '' AND (cardinality(@p) = 0 OR programme_id = ANY(@p)) ORDER BY reported_at", connection);
        command.Parameters.AddWithValue("p", programmeIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<RecordedReport>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(new RecordedReport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        }
        return result;
    }

    private async Task<HashSet<string>> ConsumedReportIdsAsync(IReadOnlyList<string> programmeIds, CancellationToken ct)
    {
        await using var connection = await AuditReader.OpenReadOnlyAsync(connectionStrings, "materials", ct);
        await using var command = new NpgsqlCommand(
            "SELECT report_id FROM consumption_reports WHERE cardinality(@p) = 0 OR programme_id = ANY(@p)", connection);
        command.Parameters.AddWithValue("p", programmeIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            result.Add(reader.GetString(0));
        }
        return result;
    }
}
