using System.Text.RegularExpressions;
using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Google.Protobuf.Collections;

namespace Bimtek.Materials.Api;

/// <summary>
/// The materials gRPC service (and, through JSON transcoding, its REST surface). Split by area
/// into partial files: catalogue, locations, stock movements, stock queries, kits, consumption.
/// Each handler checks access, validates, then writes through <see cref="IdempotentExecutor"/>
/// (every mutating RPC) and <see cref="StockPosting"/> (every stock change).
/// </summary>
internal sealed partial class MaterialsGrpcService(
    Database database, IdempotentExecutor idempotency, TimeProvider clock, Application.KitNotifications kitNotifications, ProgrammeOfficeCheck offices,
    OfficeScope scope, IProgrammeOffices programmeOffices)
    : MaterialsService.MaterialsServiceBase
{
    public const int MaxLines = 100;

    private long Now() => Time.Now(clock);

    /// <summary>Runs a read on its own connection.</summary>
    private async Task<T> ReadAsync<T>(global::Grpc.Core.ServerCallContext context, Func<Db, Task<T>> read)
    {
        await using var connection = await database.OpenConnectionAsync(context.CancellationToken);
        return await read(new Db(connection, null, context.CancellationToken));
    }

    [GeneratedRegex("^[A-Z0-9-]{1,64}$")]
    private static partial Regex CodePattern();

    private static RequestValidator Code(RequestValidator validator, string field, string code) =>
        validator.When(!CodePattern().IsMatch(code), field, "must be 1–64 characters of A–Z, 0–9 and '-'");

    private static RequestValidator OptionalId(RequestValidator validator, string field, string value) =>
        string.IsNullOrEmpty(value) ? validator : validator.Id(field, value);

    /// <summary>1–100 lines of existing-looking material ids with quantities in 1..1e12, no material twice.</summary>
    private static RequestValidator Lines(RequestValidator validator, RepeatedField<MaterialQuantity> lines, string field = "lines")
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

    private static async Task<Dictionary<string, MaterialRow>> RequireMaterialsAsync(Db db, IEnumerable<string> materialIds)
    {
        var ids = materialIds.ToList();
        var found = await Queries.MaterialsAsync(db, ids);
        foreach (var id in ids.Where(id => !found.ContainsKey(id)))
        {
            throw new NotFoundException("material", id);
        }
        return found;
    }

    /// <summary>The location, when the caller's office covers it: another office's location is answered as an unknown id.</summary>
    private async Task<LocationRow> RequireLocationAsync(Db db, Caller caller, string locationId) =>
        await Queries.LocationAsync(db, locationId) is { } location && Access.CoversLocation(caller, scope, location)
            ? location
            : throw new NotFoundException("location", locationId);

    /// <summary>Whether the caller's office covers either named location (a movement's source or destination; empty ids skipped).</summary>
    private async Task<bool> CoversEitherLocationAsync(Db db, Caller caller, params string[] locationIds)
    {
        if (!caller.IsOfficeScoped)
        {
            return true;
        }
        foreach (var id in locationIds.Where(id => id.Length > 0))
        {
            if (await Queries.LocationAsync(db, id) is { } location && Access.CoversLocation(caller, scope, location))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The SQL filter on a location office column for the caller ("" when the caller sees every office).</summary>
    private string OfficeFilter(Caller caller, string column) =>
        Access.VisibleOffices(caller, scope) is null ? "" : $"AND {column} {(database.Dialect.IsPostgres ? "= ANY(@offices)" : "IN @offices")} ";

    /// <summary>The value of <c>@offices</c> for <see cref="OfficeFilter"/>.</summary>
    private string[] OfficesOf(Caller caller) => Access.VisibleOffices(caller, scope)?.ToArray() ?? [];

    private static PreconditionException WrongKind(string field, string message)
    {
        var exception = new PreconditionException(Reasons.WrongLocationKind, message);
        exception.Metadata["field"] = field;
        return exception;
    }

    private static int Limit(int pageSize) => RequestValidator.EffectivePageSize(pageSize);
}
