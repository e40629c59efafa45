using Bimtek.Coordinator.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Bimtek.Coordinator.Data;

/// <summary>
/// Grain state for the embedded (SQLite) silo. The Orleans 10.4.2 ADO.NET grain storage names the
/// <c>Microsoft.Data.Sqlite</c> factory but has no entry for it in its provider constants table, so
/// it throws KeyNotFoundException at silo start-up; this storage keeps the same contract instead:
/// optimistic concurrency on an integer version (the ETag), a first write decided by the primary
/// key (a concurrent second first write gets <see cref="InconsistentStateException"/>), the
/// Orleans binary serializer. Rows are keyed by the full grain id (type and key) and state name,
/// so the cross-type collision of dotnet/orleans#9737 cannot happen here.
/// </summary>
public sealed class SqliteGrainStorage(OrleansStorageSettings settings, IOptions<ClusterOptions> cluster, IGrainStorageSerializer serializer)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle observer)
    {
        // Nothing to start: connections are opened per operation and the schema exists before the silo starts.
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, stateName, grainId,
            "SELECT payload, version FROM orleans_grain_state WHERE service_id = $service AND state_name = $state AND grain_id = $grain");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        var hasPayload = !reader.IsDBNull(0);
        grainState.State = hasPayload ? serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(0))) : Activator.CreateInstance<T>();
        grainState.ETag = reader.GetInt64(1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = hasPayload;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var payload = serializer.Serialize(grainState.State).ToArray();
        var version = await ChangeAsync(stateName, grainId, grainState.ETag, payload, cancellationToken);
        grainState.ETag = version;
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        if (grainState.ETag is not null)
        {
            grainState.ETag = await ChangeAsync(stateName, grainId, grainState.ETag, null, cancellationToken);
        }
        grainState.State = Activator.CreateInstance<T>();
        grainState.RecordExists = false;
    }

    /// <summary>Writes (or clears, payload null) one state row; returns the new version or throws on a version conflict.</summary>
    private async Task<string> ChangeAsync(string stateName, GrainId grainId, string? etag, byte[]? payload, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var sql = etag is null
            ? """
              INSERT INTO orleans_grain_state (service_id, state_name, grain_id, payload, version, modified_on)
              VALUES ($service, $state, $grain, $payload, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
              ON CONFLICT DO NOTHING
              RETURNING version
              """
            : """
              UPDATE orleans_grain_state SET payload = $payload, version = version + 1, modified_on = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
              WHERE service_id = $service AND state_name = $state AND grain_id = $grain AND version = $version
              RETURNING version
              """;
        await using var command = Command(connection, stateName, grainId, sql);
        command.Parameters.AddWithValue("$payload", (object?)payload ?? DBNull.Value);
        command.Parameters.AddWithValue("$version", long.TryParse(etag, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1L);
        var version = await command.ExecuteScalarAsync(cancellationToken);
        if (version is null or DBNull)
        {
            throw new InconsistentStateException(
                $"Version conflict: ServiceId={cluster.Value.ServiceId} State={stateName} GrainId={grainId} ETag={etag ?? "(none)"}.");
        }
        return Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private SqliteCommand Command(SqliteConnection connection, string stateName, GrainId grainId, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", cluster.Value.ServiceId);
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        return command;
    }
}
