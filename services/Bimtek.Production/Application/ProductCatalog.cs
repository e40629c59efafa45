using System.Collections.Concurrent;
using Bimtek.Materials.V1;
using Bimtek.Production.Domain;
using Bimtek.ServiceDefaults.Errors;
using Grpc.Core;

namespace Bimtek.Production.Application;

/// <summary>A product as production needs it: materials' id (for consumption) and the medical flag.</summary>
internal sealed record ProductInfo(string ProductId, string Code, bool Medical);

/// <summary>
/// Resolves a product code to materials' product (ListProducts filtered by code), with the
/// service's own identity. Products are immutable in what production uses (id, medical flag), so
/// answers are kept for the life of the host.
/// </summary>
internal sealed class ProductCatalog(MaterialsService.MaterialsServiceClient materials)
{
    private readonly ConcurrentDictionary<string, ProductInfo> _known = new(StringComparer.Ordinal);

    public async Task<ProductInfo> GetAsync(string productCode, CancellationToken cancellationToken) =>
        await FindAsync(productCode, cancellationToken)
            ?? throw new PreconditionException(Reasons.ProductUnknown, $"Product '{productCode}' is not in the materials catalogue.",
                [new PreconditionViolation(Reasons.ProductUnknown, productCode, "not in the materials catalogue")]);

    /// <summary>The product with that code, or null when the materials catalogue has none.</summary>
    public async Task<ProductInfo?> FindAsync(string productCode, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(productCode, out var known))
        {
            return known;
        }
        ListProductsResponse response;
        try
        {
            response = await materials.ListProductsAsync(new ListProductsRequest { Code = productCode, PageSize = 1 }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            throw new DependencyUnavailableException("materials", "The materials service is unavailable. Retry with the same request_id.");
        }
        if (response.Products.FirstOrDefault(p => p.Code == productCode) is not { } product)
        {
            return null;
        }
        var info = new ProductInfo(product.ProductId, product.Code, product.Medical);
        _known[productCode] = info;
        return info;
    }
}
