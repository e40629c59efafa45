using System.Text.RegularExpressions;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Google.Protobuf.Collections;

namespace Bimtek.Materials.Api;

/// <summary>The shapes of materials' requests the handlers check before any read: codes, line lists, quotas, trainee lists.</summary>
internal static partial class Validation
{
    public const int MaxLines = 100;

    public const int MaxTrainees = 10_000;

    [GeneratedRegex("^[A-Z0-9-]{1,64}$")]
    private static partial Regex CodePattern();

    public static RequestValidator Code(this RequestValidator validator, string field, string code) =>
        validator.When(!CodePattern().IsMatch(code), field, "must be 1–64 characters of A–Z, 0–9 and '-'");

    public static RequestValidator OptionalId(this RequestValidator validator, string field, string value) =>
        string.IsNullOrEmpty(value) ? validator : validator.Id(field, value);

    /// <summary>1–100 lines of existing-looking material ids with quantities in 1..1e12, no material twice.</summary>
    public static RequestValidator Lines(this RequestValidator validator, RepeatedField<MaterialQuantity> lines, string field = "lines")
    {
        if (lines.Count is 0 or > MaxLines)
        {
            validator.Add(field, $"must have 1–{MaxLines} lines");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count && i < MaxLines; i++)
        {
            validator.Id($"{field}[{i}].material_id", lines[i].MaterialId)
                .Positive($"{field}[{i}].quantity", lines[i].Quantity, StockMath.MaxQuantity)
                .When(!seen.Add(lines[i].MaterialId), $"{field}[{i}].material_id", "names a material already on another line");
        }
        return validator;
    }

    /// <summary>1–100 BOM lines: material ids, quantities per unit in 1..1e9, waste 0–1000 ‰, no material twice.</summary>
    public static RequestValidator BomLines(this RequestValidator validator, RepeatedField<BomLine> lines, string field)
    {
        if (lines.Count is 0 or > MaxLines)
        {
            validator.Add(field, $"must have 1–{MaxLines} lines");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count && i < MaxLines; i++)
        {
            validator.Id($"{field}[{i}].material_id", lines[i].MaterialId)
                .Positive($"{field}[{i}].quantity_per_unit", lines[i].QuantityPerUnit, StockMath.MaxQuantityPerUnit)
                .Range($"{field}[{i}].waste_per_mille", lines[i].WastePerMille, 0, 1000)
                .When(!seen.Add(lines[i].MaterialId), $"{field}[{i}].material_id", "names a material already on another line");
        }
        return validator;
    }

    /// <summary>1–10 000 quotas of distinct trainees, each 1..100 000 units.</summary>
    public static RequestValidator Quotas(this RequestValidator validator, RepeatedField<TraineeQuota> quotas)
    {
        validator.When(quotas.Count is 0 or > MaxTrainees, "quotas", $"must have 1–{MaxTrainees} entries");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < quotas.Count && i < MaxTrainees; i++)
        {
            var quota = quotas[i];
            validator.Id($"quotas[{i}].trainee_id", quota.TraineeId)
                .Positive($"quotas[{i}].quota", quota.Quota, StockMath.MaxUnits)
                .Optional($"quotas[{i}].trainee_subject", quota.TraineeSubject, 200)
                .When(!seen.Add(quota.TraineeId), $"quotas[{i}].trainee_id", "names a trainee already planned on another entry");
        }
        return validator;
    }

    /// <summary>At most 10 000 distinct trainee ids (none: every kit).</summary>
    public static RequestValidator TraineeIds(this RequestValidator validator, RepeatedField<string> traineeIds)
    {
        validator.When(traineeIds.Count > MaxTrainees, "trainee_ids", $"must have at most {MaxTrainees} entries");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < traineeIds.Count && i < MaxTrainees; i++)
        {
            validator.Id($"trainee_ids[{i}]", traineeIds[i])
                .When(!seen.Add(traineeIds[i]), $"trainee_ids[{i}]", "is named twice");
        }
        return validator;
    }
}
