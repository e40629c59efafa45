using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override async Task<ListTraineeYieldsResponse> ListTraineeYields(ListTraineeYieldsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var validator = new RequestValidator().PageSize(request.PageSize).Id("programme_id", request.ProgrammeId);
        OptionalId(validator, "trainee_id", request.TraineeId);
        var page = ListQueries.YieldTrainees.Page(request.PageToken, Limit(request.PageSize));
        return await ReadAsync(context, async db =>
        {
            if (request.TraineeId.Length > 0)
            {
                await Access.EnsureCanReadTraineeAsync(caller, db, request.TraineeId);
            }
            else
            {
                Access.StaffReader(caller);
            }
            validator.ThrowIfInvalid();

            // One named trainee is a one-row list.
            var (trainees, next) = request.TraineeId.Length > 0
                ? (page.IsFirst ? [request.TraineeId] : [], "")
                : ListQueries.YieldTrainees.Cut(await ListQueries.YieldTraineesAsync(db, request.ProgrammeId, page), page);
            var response = new ListTraineeYieldsResponse { NextPageToken = next };
            foreach (var traineeId in trainees)
            {
                response.Yields.Add(await YieldAsync(db, request.ProgrammeId, traineeId));
            }
            return response;
        });
    }

    private sealed class MaterialSum
    {
        public string MaterialId { get; set; } = "";
        public long Total { get; set; }
    }

    private sealed class UnitsByBom
    {
        public string ProductId { get; set; } = "";
        public int BomVersion { get; set; }
        public long Units { get; set; }
    }

    /// <summary>
    /// One trainee's figures in one programme. Sent, consumed and returned count the programme's
    /// movements at the home and those tied to no programme; adjustments and on-hand are the
    /// home's (a home serves its trainee, whatever the programme). Expected and allowed use follow the BOM version each report used.
    /// </summary>
    private static async Task<TraineeYield> YieldAsync(Db db, string programmeId, string traineeId)
    {
        var home = await Queries.HomeAsync(db, traineeId);
        var homeId = home?.LocationId ?? "";
        async Task<Dictionary<string, long>> SumAsync(string condition) =>
            (await db.QueryAsync<MaterialSum>(
                "SELECT material_id AS MaterialId, SUM(quantity_delta) AS Total FROM ledger_entries " +
                $"WHERE location_id = @homeId AND {condition} GROUP BY material_id",
                new { homeId, programmeId, dispatch = (int)MovementKind.KitDispatch, transfer = (int)MovementKind.Transfer, consumption = (int)MovementKind.Consumption, returned = (int)MovementKind.Return, adjustment = (int)MovementKind.Adjustment }))
            .ToDictionary(r => r.MaterialId, r => r.Total);

        // Movements of this programme, and those at the home tied to no programme (an ad-hoc return).
        var sent = await SumAsync("programme_id IN (@programmeId, '') AND quantity_delta > 0 AND kind IN (@dispatch, @transfer)");
        var consumed = await SumAsync("programme_id IN (@programmeId, '') AND kind = @consumption");
        var returned = await SumAsync("programme_id IN (@programmeId, '') AND kind = @returned");
        var adjusted = await SumAsync("kind = @adjustment");
        var onHand = homeId.Length > 0 ? await Queries.BalancesAtAsync(db, homeId) : [];

        var reports = (await db.QueryAsync<UnitsByBom>(
            "SELECT product_id AS ProductId, bom_version AS BomVersion, SUM(units) AS Units FROM consumption_reports " +
            "WHERE programme_id = @programmeId AND trainee_id = @traineeId GROUP BY product_id, bom_version",
            new { programmeId, traineeId })).ToList();
        var expected = new Dictionary<string, Int128>();
        var allowed = new Dictionary<string, Int128>();
        foreach (var report in reports)
        {
            var bom = await Queries.BomVersionAsync(db, report.ProductId, report.BomVersion);
            foreach (var line in bom?.Lines ?? [])
            {
                expected[line.MaterialId] = expected.GetValueOrDefault(line.MaterialId) + (Int128)line.QuantityPerUnit * report.Units;
                allowed[line.MaterialId] = allowed.GetValueOrDefault(line.MaterialId)
                    + StockMath.AllowedWithWaste(line.QuantityPerUnit, line.WastePerMille, report.Units);
            }
        }

        var materialIds = sent.Keys.Concat(consumed.Keys).Concat(returned.Keys).Concat(adjusted.Keys).Concat(expected.Keys)
            .Concat(onHand.Where(b => b.Value != 0).Select(b => b.Key)).Distinct().ToList();
        var materials = await Queries.MaterialsAsync(db, materialIds);
        var result = new TraineeYield
        {
            TraineeId = traineeId,
            ProgrammeId = programmeId,
            UnitsReported = (int)Math.Min(int.MaxValue, reports.Sum(r => r.Units)),
        };
        foreach (var materialId in materialIds.OrderBy(id => materials.TryGetValue(id, out var m) ? m.Code : id, StringComparer.Ordinal))
        {
            var line = new YieldLine
            {
                MaterialId = materialId,
                Sent = sent.GetValueOrDefault(materialId),
                Consumed = -consumed.GetValueOrDefault(materialId),
                Returned = -returned.GetValueOrDefault(materialId),
                Adjusted = adjusted.GetValueOrDefault(materialId),
                OnHand = onHand.GetValueOrDefault(materialId),
                ExpectedByBom = Clamp(expected.GetValueOrDefault(materialId)),
                AllowedWithWaste = Clamp((allowed.GetValueOrDefault(materialId) + 999) / 1000),
            };
            // Gone from the home = consumed minus net adjustments (= sent - returned - on hand for a
            // home serving one programme), so a stock count's loss shows as over-use too.
            line.OverAllowance = line.Consumed - line.Adjusted > line.AllowedWithWaste;
            result.Lines.Add(line);
        }
        result.OverAllowance = result.Lines.Any(l => l.OverAllowance);
        return result;
    }

    private static long Clamp(Int128 value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
