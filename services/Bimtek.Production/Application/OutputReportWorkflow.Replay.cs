using Bimtek.Production.Data;
using Bimtek.Production.Domain;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Production.Application;

/// <summary>Replays: the same request_id again returns the report's final state, or finishes it when still PENDING.</summary>
internal sealed partial class OutputReportWorkflow
{
    private async Task<ReportRow> ReplayAsync(Caller caller, ReportRow existing, string hash, CancellationToken cancellationToken)
    {
        if (existing.RequestHash != hash)
        {
            throw new ValidationException(
                [new FieldViolation("request_id", "was already used for a different request; choose a new UUID for a new request")],
                ErrorReasons.RequestIdReused);
        }
        if (existing.ReportedBy != caller.Subject)
        {
            var facts = await directory.CheckAsync(caller, existing.ProgrammeId, existing.TraineeId, cancellationToken);
            EnsureMayReport(caller, facts, existing.TraineeId);
        }
        if (ReportLifecycle.IsFinal(existing.Status))
        {
            return existing;
        }
        return await settlement.TryFinishAsync(existing.ReportId, cancellationToken) ?? await WaitForOutcomeAsync(existing.ReportId, cancellationToken);
    }

    /// <summary>Another attempt holds the lease: wait (up to <c>DuplicateWait</c>) for it to settle the report.</summary>
    private async Task<ReportRow> WaitForOutcomeAsync(string reportId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _options.DuplicateWait;
        while (true)
        {
            var report = await store.GetAsync(reportId, cancellationToken);
            if (ReportLifecycle.IsFinal(report.Status))
            {
                return report;
            }
            if (time.GetUtcNow() >= deadline)
            {
                throw new DependencyUnavailableException("materials",
                    "The report is still being finished. Retry with the same request_id.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}
