using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bimtek.Gateway.Tests.Support;
using Bimtek.Scenarios;
using Bimtek.Scenarios.Scenarios;
using Bimtek.Suite;
using Xunit.Abstractions;

namespace Bimtek.Gateway.Tests;

/// <summary>
/// The contract proxy: Stoplight Prism (pinned in <c>.ci/contract/package.json</c>) in proxy mode between both
/// reference scenarios and the real gateway (the built suite as processes), validating every request and response
/// against the checked-in OpenAPI document. Prism reports what does not match in each response's
/// <c>sl-violations</c> header; the test collects them and fails on any. A deliberately wrong request first proves
/// that Prism is checking.
/// </summary>
public sealed partial class ContractProxyTests(SqliteSuiteFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteSuiteFixture>
{
    [Fact]
    public async Task Both_reference_scenarios_through_prism_have_no_request_or_response_violation()
    {
        var document = Path.Combine(ProtoRoutes.RepositoryRoot(), OpenApiContractTests.CheckedInPath);
        var port = FreePort();
        using var prism = await StartPrismAsync(document, fixture.Suite.GatewayAddress, port);
        var violations = new ViolationLog();
        using var http = new HttpClient(new RecordingHandler(violations) { InnerHandler = new SocketsHttpHandler { MaxResponseHeadersLength = 1024 } })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Add("X-Api-Key", fixture.Suite.Secrets.ApiKey);

        // The control: a body with an unknown field and without the required ones is reported.
        using (var wrong = await http.PostAsync("/api/v1/programmes", new StringContent("{\"notAField\":1}", Encoding.UTF8, "application/json")))
        {
            Assert.True(violations.Count > 0, $"Prism reported nothing for a wrong request ({(int)wrong.StatusCode}).\n{prism.Log}");
        }
        violations.Clear();

        var log = new StringWriter();
        foreach (var scenario in new[] { Mask2020.Name, Ppe2020.Name })
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            try
            {
                await new ScenarioRunner(http, log, new ScenarioOptions(TimeSpan.FromSeconds(60))).RunAsync(scenario, timeout.Token);
            }
            catch (ScenarioFailure failure)
            {
                Assert.Fail($"{scenario} failed through Prism: {failure.Message}\n{Tail(log.ToString())}\n{violations.Describe()}\n{Tail(prism.Log)}");
            }
        }
        output.WriteLine($"{violations.Requests} requests through Prism.");
        Assert.True(violations.Requests > 100, $"only {violations.Requests} requests went through Prism");
        Assert.True(violations.Count == 0, $"Prism found {violations.Count} violations:\n{violations.Describe()}");
    }

    private static async Task<PrismProcess> StartPrismAsync(string document, Uri gateway, int port)
    {
        var tools = Path.Combine(ProtoRoutes.RepositoryRoot(), ".ci", "contract");
        var prism = Path.Combine(tools, "node_modules", ".bin", "prism");
        if (!File.Exists(prism))
        {
            // .ci/contract-checks installs the pinned tools before the tests run; by hand, install them here.
            var install = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"])
            {
                WorkingDirectory = tools,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("npm could not be started (apt-get install nodejs npm).");
            await install.WaitForExitAsync();
            Assert.True(install.ExitCode == 0 && File.Exists(prism), $"`npm ci` in {tools} failed ({install.ExitCode}); Prism is needed.");
        }
        var process = new PrismProcess(new ProcessStartInfo(prism,
            ["proxy", document, gateway.ToString().TrimEnd('/'), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return process;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
            {
                await Task.Delay(250);
            }
            catch (SocketException)
            {
                var log = process.Log;
                process.Dispose();
                throw new InvalidOperationException($"Prism did not listen on {port} within {clock.Elapsed}:\n{log}");
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];

    /// <summary>Prism's process, its output kept for failure messages; killed with its children on dispose.</summary>
    private sealed class PrismProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        public PrismProcess(ProcessStartInfo start)
        {
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public bool HasExited => _process.HasExited;

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(line);
                }
            }
        }
    }

    /// <summary>Every violation Prism reported, grouped by operation (ids in paths replaced by <c>{id}</c>).</summary>
    private sealed partial class ViolationLog
    {
        private readonly Dictionary<string, Dictionary<string, int>> _byOperation = new(StringComparer.Ordinal);
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public int Count
        {
            get
            {
                lock (_byOperation)
                {
                    return _byOperation.Values.Sum(v => v.Values.Sum());
                }
            }
        }

        public void Clear()
        {
            lock (_byOperation)
            {
                _byOperation.Clear();
            }
        }

        public void Record(HttpRequestMessage request, HttpResponseMessage response)
        {
            Interlocked.Increment(ref _requests);
            if (!response.Headers.TryGetValues("sl-violations", out var values))
            {
                return;
            }
            var operation = $"{request.Method} {Id().Replace(request.RequestUri!.AbsolutePath, "{id}")} → {(int)response.StatusCode}";
            lock (_byOperation)
            {
                var messages = _byOperation.TryGetValue(operation, out var found) ? found : _byOperation[operation] = new(StringComparer.Ordinal);
                foreach (var value in values)
                {
                    foreach (var violation in JsonNode.Parse(value)!.AsArray())
                    {
                        var location = string.Join('.', violation!["location"]!.AsArray().Select(p => p!.ToString()));
                        var text = $"{violation["severity"]} {location} {violation["code"]}: {violation["message"]}";
                        messages[text] = messages.GetValueOrDefault(text) + 1;
                    }
                }
            }
        }

        public string Describe()
        {
            lock (_byOperation)
            {
                return string.Join('\n', _byOperation.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o =>
                    o.Key + "\n" + string.Join('\n', o.Value.Select(m => $"    {m.Value}× {m.Key}"))));
            }
        }

        [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
        private static partial Regex Id();
    }

    private sealed class RecordingHandler(ViolationLog log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            log.Record(request, response);
            return response;
        }
    }
}
