using System.Text.RegularExpressions;
using Bimtek.Data.Persistence;
using Bimtek.Production.Application;
using Bimtek.Production.Data;
using Bimtek.Production.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Production.Api;

/// <summary>
/// Thin gRPC surface: validate, check access, call the workflow or query, map. Split by what it serves
/// (<c>.Reports</c>, <c>.Inspections</c>, <c>.Queries</c>); this part holds the validation they share. Who may list is
/// <see cref="ListReads"/>, the read models <see cref="OutputViews"/>.
/// </summary>
internal sealed partial class ProductionGrpcService(
    OutputReportWorkflow reports,
    InspectionWorkflow inspections,
    InspectionSignOff signOffs,
    Checklists checklists,
    ProductionQueries queries,
    ListReads lists,
    OutputViews views,
    ProgrammeDirectory directory,
    ProductCatalog catalog,
    PhotoLibrary photos,
    PhotoStore photoStore) : ProductionService.ProductionServiceBase
{
    private const int MaxUnits = 10_000;

    /// <summary>Adds each report's photo ids (kept in report_photos, one query for the page).</summary>
    private async Task<IReadOnlyList<OutputReport>> WithPhotosAsync(IReadOnlyList<OutputReport> reports, CancellationToken cancellationToken)
    {
        var photoIds = await photoStore.PhotoIdsOfReportsAsync(reports.Select(r => r.ReportId).ToList(), cancellationToken);
        foreach (var report in reports)
        {
            report.PhotoIds.Add(photoIds[report.ReportId]);
        }
        return reports;
    }

    private static RequestValidator ValidateList<TRow>(int pageSize, string pageToken, Keyset<TRow> list, string programmeId, string traineeId, Google.Type.Date? day)
    {
        var validator = new RequestValidator()
            .PageSize(pageSize)
            .When(string.IsNullOrEmpty(programmeId) && string.IsNullOrEmpty(traineeId), "programme_id", "programme_id or trainee_id is required")
            .When(!string.IsNullOrEmpty(programmeId) && !Guid.TryParse(programmeId, out _), "programme_id", "must be a programme id")
            .When(!string.IsNullOrEmpty(traineeId) && !Guid.TryParse(traineeId, out _), "trainee_id", "must be a person id")
            .ValidPageToken(pageToken, list);
        if (day is not null)
        {
            validator.Date("day", day);
        }
        return validator;
    }

    private static void ValidateDefects(RequestValidator validator, string field, IList<DefectCount> defects, int rejected)
    {
        validator
            .When(rejected > 0 && defects.Count == 0, field, "required when units are rejected")
            .When(defects.Count > 0 && defects.Sum(d => (long)d.Units) != rejected, field, "units must sum to rejected_units")
            .When(defects.Select(d => d.DefectCode).Distinct().Count() != defects.Count, field, "no code twice");
        for (var i = 0; i < defects.Count; i++)
        {
            validator
                .When(!DefectCodePattern().IsMatch(defects[i].DefectCode), $"{field}[{i}].defect_code", "1–64 characters of A–Z, 0–9 and '_'")
                .Positive($"{field}[{i}].units", defects[i].Units, MaxUnits * 10);
        }
    }

    private static string? DayText(Google.Type.Date? day) =>
        day is not null && RequestValidator.TryToDateOnly(day, out var d) ? CalendarDays.ToText(d) : null;

    [GeneratedRegex("^[A-Z0-9_]{1,64}$")]
    private static partial Regex DefectCodePattern();
}
