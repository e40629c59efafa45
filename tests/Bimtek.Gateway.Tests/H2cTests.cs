using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Bimtek.Coordinator.V1;
using Bimtek.Gateway.Tests.Support;
using Bimtek.Suite;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// The built suite as real processes on loopback ports. gRPC over real sockets: the built gateway process's gRPC listener (cleartext HTTP/2 with prior
/// knowledge, no TLS) in front of the real coordinator process. A Grpc.Net.Client channel on
/// <c>http://127.0.0.1:port</c> makes a unary call and watches a server stream, authenticated by the suite's API
/// key sent as gRPC metadata; without it the gateway answers UNAUTHENTICATED. And a real stopped service process.
/// </summary>
public sealed class H2cTests(SqliteSuiteFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteSuiteFixture>
{
    private Metadata ApiKey => new() { { "x-api-key", fixture.Suite.Secrets.ApiKey } };

    [Fact]
    public async Task Grpc_unary_and_server_streaming_work_over_h2c_on_the_gateway_port()
    {
        var address = fixture.Suite.GatewayGrpcAddress;
        Assert.Equal("http", address.Scheme);
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(fixture.Suite.GatewayAddress.Port, address.Port);
        var (programmeId, traineeId) = await SuiteProgrammes.WithTwoTraineesAsync(fixture.Suite, "H2C");

        using var channel = GrpcChannel.ForAddress(address);
        var quotas = new QuotaService.QuotaServiceClient(channel);

        // Unary.
        var progress = await quotas.GetProgrammeProgressAsync(new GetProgrammeProgressRequest { ProgrammeId = programmeId }, ApiKey,
            DateTime.UtcNow.AddSeconds(20));
        Assert.Equal(programmeId, progress.Summary.ProgrammeId);
        var before = Assert.Single(progress.Trainees, t => t.TraineeId == traineeId);

        // Server streaming: the snapshot, then an update when the trainee's quota is overridden.
        using var watch = quotas.WatchProgrammeProgress(new WatchProgrammeProgressRequest { ProgrammeId = programmeId }, ApiKey,
            DateTime.UtcNow.AddSeconds(60));
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        var snapshot = watch.ResponseStream.Current;
        Assert.True(snapshot.Snapshot);
        Assert.Equal(programmeId, snapshot.Summary.ProgrammeId);
        var newQuota = before.Quota == 7 ? 6 : 7;

        await quotas.OverrideQuotaAsync(new OverrideQuotaRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = programmeId,
            TraineeId = traineeId,
            Quota = newQuota,
            Reason = "h2c test: a change the watcher must see",
        }, ApiKey, DateTime.UtcNow.AddSeconds(20));

        var watchTime = Stopwatch.StartNew();
        ProgrammeProgressUpdate? changed = null;
        while (changed is null && await watch.ResponseStream.MoveNext(CancellationToken.None))
        {
            var update = watch.ResponseStream.Current;
            output.WriteLine($"update #{update.Sequence} snapshot={update.Snapshot} trainees={update.Trainees.Count} after {watchTime.ElapsedMilliseconds} ms");
            if (!update.Snapshot && update.Trainees.Any(t => t.TraineeId == traineeId && t.Quota == newQuota))
            {
                changed = update;
            }
        }
        Assert.NotNull(changed);
        Assert.True(changed.Sequence > snapshot.Sequence);
        Assert.Equal(programmeId, changed.Summary.ProgrammeId);
    }

    [Fact]
    public async Task A_grpc_call_without_credentials_is_unauthenticated_at_the_gateway_port()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Suite.GatewayGrpcAddress);
        var quotas = new QuotaService.QuotaServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => quotas.GetProgrammeProgressAsync(
            new GetProgrammeProgressRequest { ProgrammeId = Guid.NewGuid().ToString() }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);
        var wrongKey = await Assert.ThrowsAsync<RpcException>(() => quotas.GetProgrammeProgressAsync(
            new GetProgrammeProgressRequest { ProgrammeId = Guid.NewGuid().ToString() }, new Metadata { { "x-api-key", "not-the-key" } },
            DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrongKey.StatusCode);
    }

    /// <summary>
    /// A call straight to a service's port without the gateway's token (an internal system that skipped the front
    /// door): a gRPC UNAUTHENTICATED status with its ErrorInfo, not the authentication handler's bare HTTP 401.
    /// </summary>
    [Fact]
    public async Task A_direct_call_to_a_service_without_a_token_is_grpc_unauthenticated_with_details()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Suite.GrpcAddresses["coordinator"]);
        var quotas = new QuotaService.QuotaServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => quotas.GetProgrammeProgressAsync(
            new GetProgrammeProgressRequest { ProgrammeId = Guid.NewGuid().ToString() }, deadline: DateTime.UtcNow.AddSeconds(20)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("UNAUTHENTICATED", error.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    /// <summary>
    /// A real stopped service: the distribution process is killed, so its port refuses connections. The gateway
    /// answers 503 with the services' JSON error body at once (well within the 30 s route timeout), and other
    /// services stay reachable.
    /// </summary>
    [Fact]
    public async Task A_stopped_service_process_is_503_with_a_json_body_within_the_route_timeout()
    {
        using var http = fixture.Suite.CreateGatewayClient();
        using (var up = await http.GetAsync("/api/v1/recipients"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, up.StatusCode);
        }
        fixture.Suite.Processes.Single(p => p.Name == "distribution").Dispose();

        var clock = Stopwatch.StartNew();
        using var down = await http.GetAsync("/api/v1/recipients");
        clock.Stop();

        var text = await down.Content.ReadAsStringAsync();
        Assert.True(down.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable, $"{(int)down.StatusCode} {text}");
        Assert.Equal("application/json", down.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(14, body["code"]!.GetValue<int>());
        Assert.Equal("UNAVAILABLE", body["details"]![0]!["reason"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        using var other = await http.GetAsync("/api/v1/products");
        Assert.Equal(System.Net.HttpStatusCode.OK, other.StatusCode);
    }

    /// <summary>
    /// A body over the route's limit sent whole, without waiting for <c>100 Continue</c> (as browsers send): the
    /// caller reads a 413 with the error body, and the same connection then serves the next request. Left to
    /// Kestrel, the connection was closed under the sender, who saw a reset (the bad-input sweep's 1 MB request id).
    /// </summary>
    [Fact]
    public async Task An_oversized_body_sent_whole_gets_413_and_the_connection_serves_the_next_request()
    {
        var gateway = fixture.Suite.GatewayAddress;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(gateway.Host, gateway.Port);
        var stream = tcp.GetStream();
        stream.ReadTimeout = 30_000;
        var body = Encoding.ASCII.GetBytes("{\"title\":\"" + new string('b', 2 * 1024 * 1024) + "\"}");
        var head = $"POST /api/v1/programmes HTTP/1.1\r\nHost: {gateway.Authority}\r\nx-api-key: {fixture.Suite.Secrets.ApiKey}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        var (status, headers, text) = await ReadResponseAsync(stream);

        Assert.Equal(413, status);
        Assert.DoesNotContain("connection: close", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("REQUEST_TOO_LARGE", JsonNode.Parse(text)!["details"]![0]!["reason"]!.GetValue<string>());

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {gateway.Authority}\r\n\r\n"));
        var (next, _, _) = await ReadResponseAsync(stream);
        Assert.Equal(200, next);
    }

    /// <summary>One HTTP/1.1 response (Content-Length or chunked body), read off a raw connection.</summary>
    private static async Task<(int Status, string Headers, string Body)> ReadResponseAsync(Stream stream)
    {
        var reader = new RawReader(stream);
        var headers = await reader.ReadUntilAsync("\r\n\r\n");
        var lines = headers.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2))
            .FirstOrDefault(p => p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();
        var body = new StringBuilder();
        if (Header("Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var size = Convert.ToInt32((await reader.ReadUntilAsync("\r\n")).Split(';')[0], 16);
                body.Append(await reader.ReadCountAsync(size));
                await reader.ReadUntilAsync("\r\n");
                if (size == 0)
                {
                    break;
                }
            }
        }
        else if (Header("Content-Length") is { } length)
        {
            body.Append(await reader.ReadCountAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)));
        }
        return (status, headers, body.ToString());
    }

    private sealed class RawReader(Stream stream)
    {
        private readonly List<byte> _pending = [];

        public async Task<string> ReadUntilAsync(string delimiter)
        {
            int index;
            while ((index = IndexOf(delimiter)) < 0)
            {
                await FillAsync();
            }
            return Take(index, delimiter.Length);
        }

        public async Task<string> ReadCountAsync(int count)
        {
            while (_pending.Count < count)
            {
                await FillAsync();
            }
            return Take(count, 0);
        }

        private async Task FillAsync()
        {
            var buffer = new byte[8192];
            var read = await stream.ReadAsync(buffer);
            Assert.True(read > 0, "the gateway closed the connection before its answer was complete");
            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        private int IndexOf(string delimiter)
        {
            for (var i = 0; i + delimiter.Length <= _pending.Count; i++)
            {
                if (Enumerable.Range(0, delimiter.Length).All(j => _pending[i + j] == delimiter[j]))
                {
                    return i;
                }
            }
            return -1;
        }

        private string Take(int count, int skip)
        {
            var text = Encoding.UTF8.GetString(_pending.GetRange(0, count).ToArray());
            _pending.RemoveRange(0, count + skip);
            return text;
        }
    }
}
