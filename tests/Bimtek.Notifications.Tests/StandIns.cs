using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bimtek.Notifications.Tests;

/// <summary>A request a stand-in received.</summary>
public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A provider's HTTP API on 127.0.0.1 (a real Kestrel listener): it records every request and answers with what
/// <see cref="Respond"/> says (the check of the request the provider documents lives in the test's responder).
/// </summary>
public sealed class HttpStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    private HttpStandIn(WebApplication app) => _app = app;

    public Func<Received, (int Status, string Body, IReadOnlyDictionary<string, string>? Headers)> Respond { get; set; } = _ => (200, "{}", null);

    public IReadOnlyList<Received> Requests => [.. _received];

    /// <summary>Awaited after a request is recorded and before it is answered (a test holds the provider's answer).</summary>
    public Func<Received, Task>? BeforeAnswer { get; set; }

    public string BaseUrl { get; private set; } = "";

    public static async Task<HttpStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The test's output folder holds the service's appsettings.json (its Kestrel endpoints): a stand-in reads none of it.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new HttpStandIn(app);
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new Received(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, buffer.ToArray());
            standIn._received.Enqueue(received);
            if (standIn.BeforeAnswer is { } hold)
            {
                await hold(received);
            }
            var (status, body, extra) = standIn.Respond(received);
            context.Response.StatusCode = status;
            foreach (var (name, value) in extra ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.BaseUrl = address.TrimEnd('/');
        return standIn;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>
/// A small SMTP server on 127.0.0.1 (RFC 5321: EHLO/HELO, MAIL FROM, RCPT TO, DATA with dot-stuffing, RSET, NOOP,
/// QUIT) that keeps what it accepted. <see cref="RejectRecipients"/> answers 550 to RCPT TO.
/// </summary>
public sealed class SmtpStandIn : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(string From, IReadOnlyList<string> To, string Data)> _mails = new();
    private Task? _loop;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool RejectRecipients { get; set; }

    public IReadOnlyList<(string From, IReadOnlyList<string> To, string Data)> Mails => [.. _mails];

    public static SmtpStandIn Start()
    {
        var server = new SmtpStandIn();
        server._listener.Start();
        server._loop = server.AcceptAsync();
        return server;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 standin.local ESMTP");
        string from = "";
        var to = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-standin.local");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 standin.local");
                    break;
                case "MAIL":
                    from = line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>');
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    if (RejectRecipients)
                    {
                        await writer.WriteLineAsync("550 No such user");
                        break;
                    }
                    to.Add(line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>'));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }
                    _mails.Enqueue((from, to.ToList(), data.ToString()));
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "RSET":
                case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }
}
