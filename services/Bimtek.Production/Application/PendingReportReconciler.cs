using Bimtek.Data.Persistence;
using Bimtek.Production.Hosting;
using Bimtek.ServiceDefaults.Time;
using Microsoft.Extensions.Options;

namespace Bimtek.Production.Application;

/// <summary>
/// Finishes PENDING output reports that no request is finishing any more: after a restart (the
/// host stopped between storing and settling a report) or a materials outage. Every
/// <see cref="ProductionOptions.ReconcilerPeriod"/> it takes reports whose lease ran out and whose
/// back-off is due, and runs the settlement step (consume — idempotent — then record).
/// </summary>
internal sealed partial class PendingReportReconciler(
    Database database,
    DatabaseReadiness readiness,
    ReportSettlement settlement,
    IOptions<ProductionOptions> options,
    TimeProvider time,
    ILogger<PendingReportReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.ReconcilerPeriod, time);
            do
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogScanFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping; pending reports are found again by the next host.
        }
    }

    /// <summary>One pass over the due PENDING reports; returns how many were settled.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        var due = await database.ReadAsync(s => s.QueryAsync<string>(
            "SELECT report_id FROM output_reports WHERE status = 'pending' AND lease_until <= @now AND next_attempt_at <= @now " +
            "ORDER BY next_attempt_at LIMIT 100", new { now }), cancellationToken);
        var settled = 0;
        foreach (var reportId in due)
        {
            try
            {
                var report = await settlement.TryFinishAsync(reportId, cancellationToken);
                if (report is not null)
                {
                    settled++;
                    LogSettled(logger, reportId, report.Status);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Materials still down: the workflow released the report with a back-off.
                LogStillPending(logger, reportId, ex.Message);
            }
        }
        return settled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending report scan failed; retrying next period")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciler settled report {ReportId} as {Status}")]
    private static partial void LogSettled(ILogger logger, string reportId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {ReportId} still pending: {Error}")]
    private static partial void LogStillPending(ILogger logger, string reportId, string error);
}
