using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Materials.V1;
using Bimtek.Participants.V1;
using Bimtek.ServiceDefaults.Clients;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;

namespace Bimtek.Distribution.Application;

/// <summary>What a handover prints for its programme and goods.</summary>
internal sealed record HandoverNames(string ProgrammeCode, string ProgrammeTitle, string ProductName);

/// <summary>
/// Names of programmes (code and title, from participants) and products (catalogue name, from materials), so
/// that the berita acara and the reports name them as officials know them, also when a handover was created
/// through the API without descriptive fields.
/// <para>
/// A handover learns its names when it is made and stores them with itself, rather than looking them up when
/// the document is drawn: an official document must print the same words every time it is fetched, whatever
/// is renamed later. Every name learned is also kept in this service's <c>programme_names</c> and
/// <c>product_names</c>, which the reports read (asking only for names not learned yet) and which stand in when
/// participants or materials are unavailable while a handover is made.
/// </para>
/// Calls carry the service's own identity (names are not secrets; the caller was already authorised here).
/// A deployment without <c>services:participants:grpc:0</c> / <c>services:materials:grpc:0</c> (a service
/// host in tests) learns nothing: documents then print what the request gave, else the code or id.
/// </summary>
internal sealed class CatalogueNames(IServiceProvider services, IConfiguration configuration, Database database, TimeProvider time)
{
    private bool Participants => ServiceClientExtensions.HasAddress(configuration, "participants");

    private bool Materials => ServiceClientExtensions.HasAddress(configuration, "materials");

    /// <summary>
    /// The names a new handover prints: the request's own words where given, else participants' title and
    /// materials' name; the programme code always from participants. NOT_FOUND when participants or materials do
    /// not know the programme or product; UNAVAILABLE when they cannot be asked and nothing was learned before.
    /// </summary>
    public async Task<HandoverNames> ForHandoverAsync(string programmeId, string title, string productCode, string productName,
        CancellationToken cancellationToken)
    {
        var programme = await ProgrammeAsync(programmeId, cancellationToken);
        if (productName.Length == 0)
        {
            productName = await ProductAsync(productCode, cancellationToken) ?? "";
        }
        return new HandoverNames(programme?.Code ?? "", title.Length > 0 ? title : programme?.Title ?? "", productName);
    }

    /// <summary>Names for reports: learned ones, then asked for; a name that cannot be had now is left out (the report shows the code).</summary>
    public async Task<(IReadOnlyDictionary<string, ProgrammeNameRow> Programmes, IReadOnlyDictionary<string, string> Products)> ForReportAsync(
        IReadOnlyCollection<string> programmeIds, IReadOnlyCollection<string> productCodes, CancellationToken cancellationToken)
    {
        var (programmes, products) = await database.ReadAsync(async db => (
            (await CatalogueNameStore.ProgrammesAsync(db, programmeIds)).ToDictionary(p => p.ProgrammeId, StringComparer.Ordinal),
            (await CatalogueNameStore.ProductsAsync(db, productCodes)).ToDictionary(p => p.ProductCode, p => p.Name, StringComparer.Ordinal)),
            cancellationToken);
        foreach (var id in programmeIds.Where(id => !programmes.ContainsKey(id)))
        {
            if (await TryAsync(() => ProgrammeAsync(id, cancellationToken)) is { } learned)
            {
                programmes[id] = learned;
            }
        }
        foreach (var code in productCodes.Where(code => !products.ContainsKey(code)))
        {
            if (await TryAsync(() => ProductAsync(code, cancellationToken)) is { } name)
            {
                products[code] = name;
            }
        }
        return (programmes, products);
    }

    private async Task<ProgrammeNameRow?> ProgrammeAsync(string programmeId, CancellationToken cancellationToken)
    {
        if (!Participants)
        {
            return null;
        }
        try
        {
            var programme = await services.GetRequiredService<ParticipantsService.ParticipantsServiceClient>()
                .GetProgrammeAsync(new GetProgrammeRequest { ProgrammeId = programmeId }, cancellationToken: cancellationToken);
            var row = new ProgrammeNameRow { ProgrammeId = programmeId, Code = programme.Code, Title = programme.Title };
            await SaveAsync(db => CatalogueNameStore.SaveProgrammeAsync(db, programmeId, row.Code, row.Title, Now()), cancellationToken);
            return row;
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.NotFound)
        {
            throw new NotFoundException("programme", programmeId);
        }
        catch (RpcException error) when (IsTransient(error))
        {
            var learned = await database.ReadAsync(db => CatalogueNameStore.ProgrammesAsync(db, [programmeId]), cancellationToken);
            return learned.SingleOrDefault() ?? throw new DependencyUnavailableException("participants",
                "The participants service, which names the programme on the handover document, is unavailable. Retry with the same request_id.");
        }
    }

    private async Task<string?> ProductAsync(string productCode, CancellationToken cancellationToken)
    {
        if (!Materials)
        {
            return null;
        }
        try
        {
            var products = await services.GetRequiredService<MaterialsService.MaterialsServiceClient>()
                .ListProductsAsync(new ListProductsRequest { Code = productCode, PageSize = 1 }, cancellationToken: cancellationToken);
            var name = products.Products.FirstOrDefault(p => p.Code == productCode)?.Name
                ?? throw new NotFoundException("product", productCode);
            await SaveAsync(db => CatalogueNameStore.SaveProductAsync(db, productCode, name, Now()), cancellationToken);
            return name;
        }
        catch (RpcException error) when (IsTransient(error))
        {
            var learned = await database.ReadAsync(db => CatalogueNameStore.ProductsAsync(db, [productCode]), cancellationToken);
            return learned.SingleOrDefault()?.Name ?? throw new DependencyUnavailableException("materials",
                "The materials service, which names the goods on the handover document, is unavailable. Retry with the same request_id.");
        }
    }

    /// <summary>For reports: a name that cannot be had now (unknown, or its service down) is simply missing.</summary>
    private static async Task<T?> TryAsync<T>(Func<Task<T?>> ask) where T : class
    {
        try
        {
            return await ask();
        }
        catch (Exception error) when (error is DomainException or RpcException)
        {
            return null;
        }
    }

    private Task SaveAsync(Func<DbSession, Task> save, CancellationToken cancellationToken) =>
        database.InTransactionAsync(session => save(session), cancellationToken);

    private long Now() => time.NowMs();

    private static bool IsTransient(RpcException error) =>
        error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;
}
