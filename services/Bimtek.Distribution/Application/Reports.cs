using Bimtek.Data.Persistence;
using Bimtek.Distribution.Api;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Domain;
using Bimtek.Distribution.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Distribution.Application;

/// <summary>A programme's goods flow with the names officials know (empty where none could be had).</summary>
internal sealed record ProgrammeFlow(string ProgrammeId, string ProgrammeCode, string ProgrammeTitle, IReadOnlyList<NamedProductFlow> Products,
    DateTimeOffset GeneratedAt);

internal sealed record NamedProductFlow(ProductFlowFigures Figures, string ProductName);

/// <summary>A line of the recipient report with its programme's and product's names (null / empty where none could be had).</summary>
internal sealed record NamedRecipientRow(RecipientReportRowData Row, ProgrammeNameRow? Programme, string ProductName);

/// <summary>
/// The programme flow report (<see cref="GoodsFlow"/>) and the recipient report, from this service's own tables, named
/// by <see cref="CatalogueNames"/>. Rows of another office's programmes are left out of the recipient report after its page
/// is cut (a page may so be short; its token still moves on).
/// </summary>
internal sealed class Reports(Database database, CatalogueNames catalogue, ProgrammeOfficeCheck offices, TimeProvider time)
{
    /// <summary>NOT_FOUND for a programme with no finished goods here: distribution knows a programme from the goods production passed on.</summary>
    public async Task<ProgrammeFlow> ProgrammeFlowAsync(string programmeId, CancellationToken cancellationToken)
    {
        var (goods, confirmed, onward) = await database.ReadAsync(async db => (
            await ReportQueries.ProgrammeGoodsAsync(db, programmeId),
            await ReportQueries.ConfirmedAsync(db, programmeId),
            await ReportQueries.DeliveredOnwardAsync(db, programmeId)), cancellationToken);
        if (goods.Count == 0)
        {
            throw new NotFoundException("programme", programmeId);
        }

        var (programmes, products) = await catalogue.ForReportAsync([programmeId], goods.Select(g => g.ProductCode).ToList(), cancellationToken);
        var figures = GoodsFlow.PerProduct(
            goods.Select(g => (g.ProductCode, g.ReceivedUnits, g.HandedOverUnits)),
            confirmed.Select(c => (c.ProductCode, c.Units)),
            onward.Select(o => (o.ProductCode, o.Units, o.Households)));
        var programme = programmes.GetValueOrDefault(programmeId);
        return new ProgrammeFlow(programmeId, programme?.Code ?? "", programme?.Title ?? "",
            [.. figures.Select(f => new NamedProductFlow(f, products.GetValueOrDefault(f.ProductCode) ?? ""))], time.GetUtcNow());
    }

    /// <summary>
    /// The recipient report's rows on <paramref name="page"/> (<c>All</c> for an export), per recipient, programme and product;
    /// <paramref name="readScope"/> (<see cref="Access.ReadScope"/>) limits them to the subject's agencies, and a named
    /// recipient the caller may not read is PERMISSION_DENIED.
    /// </summary>
    public async Task<(List<NamedRecipientRow> Rows, string NextPageToken)> RecipientReportAsync(Caller caller, string? readScope,
        GetRecipientReportRequest request, KeysetPage page, CancellationToken cancellationToken)
    {
        var (rows, next) = ReportQueries.RecipientReport.Cut(await database.ReadAsync(async db =>
        {
            if (request.RecipientId.Length > 0)
            {
                await Access.EnsureMayReadAsync(db, caller, request.RecipientId);
            }
            return await ReportQueries.RecipientRowsAsync(db, request.RecipientId, request.ProgrammeId, readScope, page);
        }, cancellationToken), page);
        var visible = await offices.VisibleAsync(caller, rows, r => r.ProgrammeId, cancellationToken);
        var (programmes, products) = await catalogue.ForReportAsync(
            visible.Select(r => r.ProgrammeId).Distinct().ToList(), visible.Select(r => r.ProductCode).Distinct().ToList(), cancellationToken);
        return ([.. visible.Select(r => new NamedRecipientRow(r, programmes.GetValueOrDefault(r.ProgrammeId), products.GetValueOrDefault(r.ProductCode) ?? ""))],
            next);
    }
}
