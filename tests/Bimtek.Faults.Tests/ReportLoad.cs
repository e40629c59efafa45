using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bimtek.Scenarios.Rest;

namespace Bimtek.Faults.Tests;

/// <summary>One output report as the client saw it: its request, and whether the suite ever acknowledged it.</summary>
public sealed record SubmittedReport(string RequestId, string TraineeId, DateOnly Day, int Units)
{
    /// <summary>The report id from the 2xx answer; empty when never acknowledged.</summary>
    public string ReportId { get; set; } = "";

    public ReportOutcome Outcome { get; set; } = ReportOutcome.InFlight;

    /// <summary>HTTP attempts made with this request id (retries of the same request included).</summary>
    public int Attempts { get; set; }

    /// <summary>The last non-2xx answer or transport error, for failure messages.</summary>
    public string LastError { get; set; } = "";

    /// <summary>When the first attempt was sent (wall clock, UTC).</summary>
    public DateTimeOffset SubmittedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>When the 2xx answer arrived; null until then.</summary>
    public DateTimeOffset? AcknowledgedAt { get; set; }
}

public enum ReportOutcome
{
    InFlight,

    /// <summary>A 2xx answer: the suite promised the report is recorded.</summary>
    Acknowledged,

    /// <summary>Only transport errors, 5xx or 429 until the retry budget ran out: the outcome is unknown to the client.</summary>
    NeverAcknowledged,

    /// <summary>A final 4xx (e.g. FAILED_PRECONDITION): the suite refused it.</summary>
    Refused,
}

/// <summary>
/// A steady closed-loop load of output reports through the gateway's REST surface: <c>workers</c> loops, each
/// submitting one report at a time with a fresh request_id and retrying THE SAME request_id on transport
/// errors, 5xx and 429 (what a phone on a rural connection does) for at most <c>retryBudget</c>. Every
/// request is recorded with its outcome, so the audit can tell acknowledged reports from unknown ones.
/// </summary>
public sealed class ReportLoad : IAsyncDisposable
{
    private static readonly TimeSpan _attemptTimeout = TimeSpan.FromSeconds(15);
    private readonly HttpClient _http;
    private readonly string _programmeId;
    private readonly string _productCode;
    private readonly IReadOnlyList<string> _traineeIds;
    private readonly IReadOnlyList<DateOnly> _days;
    private readonly TimeSpan _retryBudget;
    private readonly ConcurrentQueue<SubmittedReport> _reports = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _acknowledgedCount;

    public ReportLoad(Uri gateway, string apiKey, string programmeId, string productCode, IReadOnlyList<string> traineeIds,
        IReadOnlyList<DateOnly> days, int workers, TimeSpan retryBudget)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = gateway,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        _programmeId = programmeId;
        _productCode = productCode;
        _traineeIds = traineeIds;
        _days = days;
        _retryBudget = retryBudget;
        for (var i = 0; i < workers; i++)
        {
            var seed = i;
            _workers.Add(Task.Run(() => WorkAsync(new Random(seed * 7919 + Environment.TickCount))));
        }
    }

    public IReadOnlyList<SubmittedReport> Reports => [.. _reports];

    public long AcknowledgedCount => Interlocked.Read(ref _acknowledgedCount);

    /// <summary>Non-2xx answers and transport errors seen by any attempt, by kind.</summary>
    public IReadOnlyDictionary<string, int> Errors => _errors;

    /// <summary>Waits until at least <paramref name="count"/> more reports have been acknowledged (proves the load flows).</summary>
    public async Task WaitForAcknowledgementsAsync(int count, TimeSpan timeout)
    {
        var target = AcknowledgedCount + count;
        var watch = Stopwatch.StartNew();
        while (AcknowledgedCount < target)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Only {AcknowledgedCount} of {target} reports acknowledged within {timeout.TotalSeconds:0} s; errors: {DescribeErrors()}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>No new reports; the ones being retried carry on until acknowledged or out of budget.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    public string DescribeErrors() =>
        _errors.IsEmpty ? "none" : string.Join(", ", _errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} x{e.Value}"));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync(Random random)
    {
        while (!_stop.IsCancellationRequested)
        {
            var report = new SubmittedReport(Guid.NewGuid().ToString(), _traineeIds[random.Next(_traineeIds.Count)],
                _days[random.Next(_days.Count)], random.Next(1, 6));
            _reports.Enqueue(report);
            await SubmitAsync(report);
        }
    }

    private async Task SubmitAsync(SubmittedReport report)
    {
        var body = new JsonObject
        {
            ["requestId"] = report.RequestId,
            ["programmeId"] = _programmeId,
            ["traineeId"] = report.TraineeId,
            ["productCode"] = _productCode,
            ["day"] = Json.Date(report.Day),
            ["units"] = report.Units,
        }.ToJsonString();
        var giveUpAt = _clock.Elapsed + _retryBudget;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            report.Attempts++;
            try
            {
                using var timeout = new CancellationTokenSource(_attemptTimeout);
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync("/api/v1/output-reports", content, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    report.ReportId = JsonNode.Parse(text).Str("reportId");
                    report.AcknowledgedAt = DateTimeOffset.UtcNow;
                    report.Outcome = ReportOutcome.Acknowledged;
                    Interlocked.Increment(ref _acknowledgedCount);
                    return;
                }
                var retryable = (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
                Count($"HTTP {(int)response.StatusCode}");
                report.LastError = $"HTTP {(int)response.StatusCode}: {(text.Length > 400 ? text[..400] : text)}";
                if (!retryable)
                {
                    report.Outcome = ReportOutcome.Refused;
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                var kind = exception is OperationCanceledException ? "timeout" : "transport error";
                Count(kind);
                report.LastError = $"{kind}: {exception.Message}";
            }
            if (_clock.Elapsed + backoff > giveUpAt)
            {
                report.Outcome = ReportOutcome.NeverAcknowledged;
                return;
            }
            await Task.Delay(backoff);
            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 1000));
        }
    }

    private void Count(string kind) => _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
}
