using Bimtek.Data.Idempotency;
using Bimtek.Data.Persistence;
using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Materials.Application;

/// <summary>
/// Materials, products and their bills of materials. Codes are unique (AlreadyExists on a taken code); a BOM names
/// existing materials only and is published as a new immutable version, 1, 2, 3… without gaps (the product row's
/// lock serialises concurrent changes). Writes are idempotent on request_id; the executor stores the answer for
/// replays, so the handler gives the mapping that makes it from the rows written.
/// </summary>
internal sealed class Catalogue(IdempotentExecutor idempotency, TimeProvider clock)
{
    public Task<TResponse> CreateMaterialAsync<TResponse>(CreateMaterialRequest request, Func<MaterialRow, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var row = new MaterialRow
            {
                MaterialId = Guid.NewGuid().ToString(),
                Code = request.Code,
                Name = request.Name.Trim(),
                BaseUnit = (int)request.BaseUnit,
                Description = request.Description,
                CreatedAt = clock.NowMs(),
            };
            if (!await CatalogueStore.TryInsertMaterialAsync(session, row))
            {
                throw new AlreadyExistsException(Reasons.MaterialCodeTaken, $"A material with code {request.Code} already exists.");
            }
            return respond(row);
        }, cancellationToken);

    /// <summary>A product, with BOM version 1 when the request has lines.</summary>
    public Task<TResponse> CreateProductAsync<TResponse>(CreateProductRequest request, Func<ProductRow, StoredBom?, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var now = clock.NowMs();
            var row = new ProductRow
            {
                ProductId = Guid.NewGuid().ToString(),
                Code = request.Code,
                Name = request.Name.Trim(),
                UnitName = request.UnitName.Trim(),
                Medical = request.Medical ? 1 : 0,
                CurrentBomVersion = request.BomLines.Count > 0 ? 1 : 0,
                CreatedAt = now,
            };
            if (!await CatalogueStore.TryInsertProductAsync(session, row))
            {
                throw new AlreadyExistsException(Reasons.ProductCodeTaken, $"A product with code {request.Code} already exists.");
            }
            if (request.BomLines.Count > 0)
            {
                await PublishBomAsync(session, row.ProductId, 1, request.BomLines, "", now);
            }
            return respond(row, await CatalogueStore.CurrentBomAsync(session, row));
        }, cancellationToken);

    /// <summary>Publishes the next BOM version of a product and makes it current.</summary>
    public Task<TResponse> SetBillOfMaterialsAsync<TResponse>(SetBillOfMaterialsRequest request, Func<StoredBom, TResponse> respond,
        CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            // The product row serialises concurrent BOM changes, so versions are 1, 2, 3… without gaps.
            var product = await CatalogueStore.LockProductAsync(session, request.ProductId)
                ?? throw new NotFoundException("product", request.ProductId);
            var version = product.CurrentBomVersion + 1;
            await PublishBomAsync(session, product.ProductId, version, request.Lines, request.Note, clock.NowMs());
            await CatalogueStore.SetCurrentBomAsync(session, product.ProductId, version);
            return respond((await CatalogueStore.BomAsync(session, product.ProductId, version))!);
        }, cancellationToken);

    public static Task<MaterialRow?> MaterialAsync(DbSession db, string materialId) => Queries.MaterialAsync(db, materialId);

    /// <summary>A product with its current BOM (null before its first), or null for an unknown product.</summary>
    public static async Task<(ProductRow Product, StoredBom? CurrentBom)?> ProductAsync(DbSession db, string productId) =>
        await Queries.ProductAsync(db, productId) is { } row ? (row, await CatalogueStore.CurrentBomAsync(db, row)) : null;

    /// <summary>One BOM version of a known product; NOT_FOUND for an unknown product or version.</summary>
    public static async Task<StoredBom> BomAsync(DbSession db, string productId, int version)
    {
        await Lookups.RequireProductAsync(db, productId);
        return await CatalogueStore.BomAsync(db, productId, version)
            ?? throw new NotFoundException("bom_version", $"{productId}/{version}");
    }

    private static async Task PublishBomAsync(DbSession session, string productId, int version, IEnumerable<BomLine> lines, string note, long now)
    {
        var specs = lines.Select(l => new BomLineSpec(l.MaterialId, l.QuantityPerUnit, l.WastePerMille)).ToList();
        await Lookups.RequireMaterialsAsync(session, specs.Select(l => l.MaterialId));
        await CatalogueStore.InsertBomVersionAsync(session, productId, version, specs, note, now);
    }
}
