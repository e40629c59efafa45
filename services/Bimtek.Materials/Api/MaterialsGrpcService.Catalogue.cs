using Bimtek.Materials.Application;
using Bimtek.Materials.Data;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override Task<Material> CreateMaterial(CreateMaterialRequest request, ServerCallContext context)
    {
        Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId);
        validator.Code("code", request.Code)
            .Required("name", request.Name, 200)
            .Defined("base_unit", request.BaseUnit)
            .Optional("description", request.Description, 1000)
            .ThrowIfInvalid();
        return catalogue.CreateMaterialAsync(request, ProtoMapping.ToMaterial, context.CancellationToken);
    }

    public override async Task<Material> GetMaterial(GetMaterialRequest request, ServerCallContext context)
    {
        Access.AnyRole(context.GetCaller());
        new RequestValidator().Id("material_id", request.MaterialId).ThrowIfInvalid();
        var row = await ReadAsync(context, db => Catalogue.MaterialAsync(db, request.MaterialId))
            ?? throw new NotFoundException("material", request.MaterialId);
        return ProtoMapping.ToMaterial(row);
    }

    public override async Task<ListMaterialsResponse> ListMaterials(ListMaterialsRequest request, ServerCallContext context)
    {
        Access.AnyRole(context.GetCaller());
        new RequestValidator().PageSize(request.PageSize).ThrowIfInvalid();
        var page = ListQueries.Materials.Page(request.PageToken, Limit(request.PageSize));
        var (rows, next) = ListQueries.Materials.Cut(await ReadAsync(context, db => ListQueries.MaterialsAsync(db, page)), page);
        var response = new ListMaterialsResponse { NextPageToken = next };
        response.Materials.Add(rows.Select(ProtoMapping.ToMaterial));
        return response;
    }

    public override Task<Product> CreateProduct(CreateProductRequest request, ServerCallContext context)
    {
        Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId);
        validator.Code("code", request.Code)
            .Required("name", request.Name, 200)
            .Required("unit_name", request.UnitName, 32);
        if (request.BomLines.Count > 0)
        {
            validator.BomLines(request.BomLines, "bom_lines");
        }
        validator.ThrowIfInvalid();
        return catalogue.CreateProductAsync(request, ProtoMapping.ToProduct, context.CancellationToken);
    }

    public override async Task<Product> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        Access.AnyRole(context.GetCaller());
        new RequestValidator().Id("product_id", request.ProductId).ThrowIfInvalid();
        var (product, bom) = await ReadAsync(context, db => Catalogue.ProductAsync(db, request.ProductId))
            ?? throw new NotFoundException("product", request.ProductId);
        return ProtoMapping.ToProduct(product, bom);
    }

    public override async Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        Access.AnyRole(context.GetCaller());
        new RequestValidator().PageSize(request.PageSize).Optional("code", request.Code, 64).ThrowIfInvalid();
        var page = ListQueries.Products.Page(request.PageToken, Limit(request.PageSize));
        return await ReadAsync(context, async db =>
        {
            var (rows, next) = ListQueries.Products.Cut(await ListQueries.ProductsAsync(db, request.Code, page), page);
            var response = new ListProductsResponse { NextPageToken = next };
            foreach (var row in rows)
            {
                response.Products.Add(ProtoMapping.ToProduct(row, await CatalogueStore.CurrentBomAsync(db, row)));
            }
            return response;
        });
    }

    public override Task<BomVersion> SetBillOfMaterials(SetBillOfMaterialsRequest request, ServerCallContext context)
    {
        Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId).Id("product_id", request.ProductId)
            .Optional("note", request.Note, 500);
        validator.BomLines(request.Lines, "lines").ThrowIfInvalid();
        return catalogue.SetBillOfMaterialsAsync(request, ProtoMapping.ToBomVersion, context.CancellationToken);
    }

    public override async Task<BomVersion> GetBomVersion(GetBomVersionRequest request, ServerCallContext context)
    {
        Access.AnyRole(context.GetCaller());
        new RequestValidator().Id("product_id", request.ProductId).Positive("version", request.Version, int.MaxValue).ThrowIfInvalid();
        return ProtoMapping.ToBomVersion(await ReadAsync(context, db => Catalogue.BomAsync(db, request.ProductId, request.Version)));
    }

}
