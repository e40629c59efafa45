using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Bimtek.Audit;

/// <summary>
/// Reads what the audit compares, without changing anything: production's and materials' tables and every
/// service's outbox through read-only sessions (<c>default_transaction_read_only</c>; give it a read-only role),
/// and the coordinator's quota grains through the gateway's REST surface (GET progress), the grains' own answer.
/// </summary>
public sealed class AuditReader(IReadOnlyDictionary<string, string> connectionStrings, HttpClient gateway)
{
    /// <summary>Services whose database has an outbox, in the order they are reported (identity and the coordinator have none).</summary>
    public static readonly string[] OutboxServices = ["participants", "materials", "production", "distribution"];

    public async Task<IReadOnlyList<OutboxCounts>> OutboxesAsync(CancellationToken ct)
    {
        var result = new List<OutboxCounts>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var service in OutboxServices.Where(connectionStrings.ContainsKey))
        {
            await using var connection = await OpenAsync(service, ct);
            await using var command = new NpgsqlCommand(
                "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'parked'), " +
                "COUNT(*) FILTER (WHERE status = 'delivered'), COUNT(*) FILTER (WHERE status = 'delivered' AND attempts > 1), " +
                "COALESCE(MIN(created_at) FILTER (WHERE status = 'pending'), @now) FROM outbox_messages", connection);
            command.Parameters.AddWithValue("now", now);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            result.Add(new OutboxCounts(service, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                TimeSpan.FromMilliseconds(Math.Max(0, now - reader.GetInt64(4)))));
        }
        return result;
    }

    /// <summary>Production's PENDING reports (all programmes).</summary>
    public async Task<long> PendingReportsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync("production", ct);
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM output_reports WHERE status = 'pending'", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every programme production holds reports for.</summary>
    public async Task<IReadOnlyList<string>> ProgrammesAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync("production", ct);
        await using var command = new NpgsqlCommand("SELECT DISTINCT programme_id FROM output_reports ORDER BY programme_id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    public async Task<ProgrammeFigures> ReadAsync(string programmeId, CancellationToken ct)
    {
        var reports = new List<ProductionReport>();
        await using (var connection = await OpenAsync("production", ct))
        {
            await using var command = new NpgsqlCommand(
                "SELECT report_id, request_id, trainee_id, units, status, attempts, reported_at FROM output_reports " +
                "WHERE programme_id = @p AND rework_order_id = ''", connection);
            command.Parameters.AddWithValue("p", programmeId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                reports.Add(new ProductionReport(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4),
                    reader.GetInt32(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
            }
        }

        var consumptions = new Dictionary<string, (string Trainee, int Units, HashSet<string> Movements, Dictionary<string, long> ByMaterial, Dictionary<string, long> Expected)>();
        await using (var connection = await OpenAsync("materials", ct))
        {
            await using (var command = new NpgsqlCommand(
                "SELECT c.report_id, c.trainee_id, c.units, b.material_id, b.quantity_per_unit FROM consumption_reports c " +
                "LEFT JOIN bom_lines b ON b.product_id = c.product_id AND b.version = c.bom_version WHERE c.programme_id = @p", connection))
            {
                command.Parameters.AddWithValue("p", programmeId);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var reportId = reader.GetString(0);
                    if (!consumptions.TryGetValue(reportId, out var entry))
                    {
                        entry = (reader.GetString(1), reader.GetInt32(2), [], [], []);
                        consumptions[reportId] = entry;
                    }
                    if (!reader.IsDBNull(3))
                    {
                        entry.Expected[reader.GetString(3)] = reader.GetInt64(4) * entry.Units;
                    }
                }
            }
            // kind 4 = consumption. The ledger is the truth of what left the trainee's home, per report id.
            await using (var command = new NpgsqlCommand(
                "SELECT m.report_id, m.movement_id, e.material_id, e.quantity_delta FROM movements m " +
                "JOIN ledger_entries e ON e.movement_id = m.movement_id WHERE m.kind = 4 AND m.programme_id = @p", connection))
            {
                command.Parameters.AddWithValue("p", programmeId);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var reportId = reader.GetString(0);
                    if (!consumptions.TryGetValue(reportId, out var entry))
                    {
                        // Ledger entries without a consumption_reports row: recorded as a consumption of 0 units.
                        entry = ("", 0, [], [], []);
                        consumptions[reportId] = entry;
                    }
                    entry.Movements.Add(reader.GetString(1));
                    entry.ByMaterial[reader.GetString(2)] = entry.ByMaterial.GetValueOrDefault(reader.GetString(2)) - reader.GetInt64(3);
                }
            }
        }

        return new ProgrammeFigures(
            programmeId,
            reports,
            [.. consumptions.Select(c => new MaterialsConsumption(c.Key, c.Value.Trainee, c.Value.Units, c.Value.Movements.Count, c.Value.ByMaterial, c.Value.Expected))],
            await ProducedAsync(programmeId, ct));
    }

    /// <summary>Production's accepting inspections and distribution's receipts, finished goods, handovers and holdings of one programme.</summary>
    public async Task<GoodsFigures> ReadGoodsAsync(string programmeId, CancellationToken ct)
    {
        var accepted = new List<AcceptedInspection>();
        await using (var connection = await OpenAsync("production", ct))
        {
            await using var command = new NpgsqlCommand(
                "SELECT inspection_id, product_code, accepted_units, COALESCE(signed_off_at, inspected_at) FROM inspections " +
                "WHERE programme_id = @p AND accepted_units > 0 ORDER BY inspection_id", connection);
            command.Parameters.AddWithValue("p", programmeId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                accepted.Add(new AcceptedInspection(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }
        }
        await using var distribution = await OpenAsync("distribution", ct);
        var receipts = await ListAsync(distribution, programmeId,
            "SELECT receipt_id, inspection_id, product_code, units FROM goods_receipts WHERE programme_id = @p ORDER BY receipt_id",
            r => new GoodsReceipt(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)), ct);
        var goods = await ListAsync(distribution, programmeId,
            "SELECT product_code, received_units, handed_over_units FROM finished_goods WHERE programme_id = @p ORDER BY product_code",
            r => new FinishedGoods(r.GetString(0), r.GetInt64(1), r.GetInt64(2)), ct);
        var handovers = await ListAsync(distribution, programmeId,
            "SELECT handover_id, document_number, product_code, recipient_id, units, status FROM handovers WHERE programme_id = @p ORDER BY document_number",
            r => new HandoverUnits(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt32(5)), ct);
        var holdings = await ListAsync(distribution, programmeId,
            "SELECT recipient_id, product_code, received_units FROM recipient_holdings WHERE programme_id = @p ORDER BY recipient_id, product_code",
            r => new RecipientHolding(r.GetString(0), r.GetString(1), r.GetInt64(2)), ct);
        return new GoodsFigures(programmeId, accepted, receipts, goods, handovers, holdings);
    }

    private static async Task<IReadOnlyList<T>> ListAsync<T>(NpgsqlConnection connection, string programmeId, string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", programmeId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    /// <summary>True when the audit was given <paramref name="service"/>'s database.</summary>
    public bool Reads(string service) => connectionStrings.ContainsKey(service);

    /// <summary>Per trainee, what the coordinator's quota grain counts as produced (all pages).</summary>
    private async Task<IReadOnlyDictionary<string, int>> ProducedAsync(string programmeId, CancellationToken ct)
    {
        var produced = new Dictionary<string, int>();
        var token = "";
        do
        {
            var page = await gateway.GetFromJsonAsync<JsonObject>(
                $"/api/v1/quotas/programmes/{Uri.EscapeDataString(programmeId)}/progress?pageSize=200&pageToken={Uri.EscapeDataString(token)}", ct)
                ?? throw new InvalidOperationException($"the gateway answered no progress for programme {programmeId}");
            foreach (var trainee in page["trainees"]?.AsArray() ?? [])
            {
                produced[(string)trainee!["traineeId"]!] = (int?)trainee["produced"] ?? 0;
            }
            token = (string?)page["nextPageToken"] ?? "";
        }
        while (token.Length > 0);
        return produced;
    }

    private Task<NpgsqlConnection> OpenAsync(string service, CancellationToken ct) => OpenReadOnlyAsync(connectionStrings, service, ct);

    /// <summary>An unpooled, read-only session (<c>default_transaction_read_only</c>) on <paramref name="service"/>'s database.</summary>
    public static async Task<NpgsqlConnection> OpenReadOnlyAsync(IReadOnlyDictionary<string, string> connectionStrings, string service, CancellationToken ct)
    {
        if (!connectionStrings.TryGetValue(service, out var connectionString))
        {
            throw new InvalidOperationException($"no connection string for {service} (--{service} or BIMTEK_AUDIT_{service.ToUpperInvariant()})");
        }
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Not pooled: the audit's connections must not go stale across a PostgreSQL restart. Read-only sessions.
            Pooling = false,
            Timeout = 5,
            Options = "-c default_transaction_read_only=on",
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
