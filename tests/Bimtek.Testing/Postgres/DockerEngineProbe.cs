using System.Net.Sockets;

namespace Bimtek.Testing.Postgres;

/// <summary>
/// Decides whether Testcontainers is worth trying. Testcontainers itself can wait a long time for a missing
/// engine, so this pings the engine with a short deadline first.
/// </summary>
internal static class DockerEngineProbe
{
    private const string DefaultSocket = "/var/run/docker.sock";
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(3);

    /// <returns>Whether an engine answered, and a description of what was checked.</returns>
    public static async Task<(bool Answers, string Detail)> ProbeAsync()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(dockerHost))
        {
            if (!File.Exists(DefaultSocket))
            {
                return (false, $"DOCKER_HOST is not set and {DefaultSocket} does not exist");
            }

            dockerHost = "unix://" + DefaultSocket;
        }

        if (!Uri.TryCreate(dockerHost, UriKind.Absolute, out var endpoint))
        {
            return (false, $"DOCKER_HOST '{dockerHost}' is not a URI");
        }

        try
        {
            using var timeout = new CancellationTokenSource(_timeout);
            var answers = endpoint.Scheme switch
            {
                "unix" => await PingUnixSocketAsync(endpoint.AbsolutePath, timeout.Token),
                // With TLS the ping needs client certificates; an accepted connection is a good enough sign.
                "tcp" when Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY") is "1" or "true"
                    => await CanConnectAsync(endpoint, timeout.Token),
                "tcp" => await PingHttpAsync(new Uri($"http://{endpoint.Authority}/_ping"), new SocketsHttpHandler(), timeout.Token),
                _ => false,
            };
            return (answers, answers ? $"Docker engine at {dockerHost} answered" : $"Docker engine at {dockerHost} did not answer");
        }
        catch (Exception exception) when (exception is HttpRequestException or SocketException or OperationCanceledException or IOException)
        {
            return (false, $"Docker engine at {dockerHost} did not answer ({exception.GetType().Name}: {exception.Message})");
        }
    }

    private static Task<bool> PingUnixSocketAsync(string socketPath, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return PingHttpAsync(new Uri("http://docker/_ping"), handler, cancellationToken);
    }

    private static async Task<bool> PingHttpAsync(Uri pingUri, SocketsHttpHandler handler, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(handler);
        using var response = await client.GetAsync(pingUri, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private static async Task<bool> CanConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        return true;
    }
}
