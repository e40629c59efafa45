using Bimtek.Materials.Data;
using Bimtek.Materials.Domain;
using Bimtek.Materials.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Security;
using Google.Protobuf.Collections;
using Grpc.Core;

namespace Bimtek.Materials.Api;

internal sealed partial class MaterialsGrpcService
{
    public override Task<Material> CreateMaterial(CreateMaterialRequest request, ServerCallContext context)
    {
        Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId);
        Code(validator, "code", request.Code)
            .Required("name", request.Name, 200)
            .Defined("base_unit", request.BaseUnit)
            .Optional("description", request.Description, 1000)
            .ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var row = new MaterialRow
            {
                MaterialId = Guid.NewGuid().ToString(),
                Code = request.Code,
                Name = request.Name.Trim(),
                BaseUnit = (int)request.BaseUnit,
                Description = request.Description,
                CreatedAt = Now(),
            };
            var inserted = await session.ExecuteAsync(
                "INSERT INTO materials (material_id, code, name, base_unit, description, created_at) " +
                "VALUES (@MaterialId, @Code, @Name, @BaseUnit, @Description, @CreatedAt) ON CONFLICT (code) DO NOTHING",
                row);
            if (inserted == 0)
            {
                throw new AlreadyExistsException(Reasons.MaterialCodeTaken, $"A material with code {request.Code} already exists.");
            }
            return ProtoMapping.ToMaterial(row);
        }, context.CancellationToken);
    }

    public override async Task<Material> GetMaterial(GetMaterialRequest request, ServerCallContext context)
    {
        Access.AnyRole(context.GetCaller());
        new RequestValidator().Id("material_id", request.MaterialId).ThrowIfInvalid();
        var row = await ReadAsync(context, db => Queries.MaterialAsync(db, request.MaterialId))
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
        Code(validator, "code", request.Code)
            .Required("name", request.Name, 200)
            .Required("unit_name", request.UnitName, 32);
        if (request.BomLines.Count > 0)
        {
            BomLines(validator, request.BomLines, "bom_lines");
        }
        validator.ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            var now = Now();
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
            var inserted = await session.ExecuteAsync(
                "INSERT INTO products (product_id, code, name, unit_name, medical, current_bom_version, created_at) " +
                "VALUES (@ProductId, @Code, @Name, @UnitName, @Medical, @CurrentBomVersion, @CreatedAt) ON CONFLICT (code) DO NOTHING",
                row);
            if (inserted == 0)
            {
                throw new AlreadyExistsException(Reasons.ProductCodeTaken, $"A product with code {request.Code} already exists.");
            }
            if (request.BomLines.Count > 0)
            {
                await InsertBomVersionAsync(session, db, row.ProductId, 1, request.BomLines, "", now);
            }
            return await Queries.ToProductAsync(db, row);
        }, context.CancellationToken);
    }

    public override async Task<Product> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        Access.AnyRole(context.GetCaller());
        new RequestValidator().Id("product_id", request.ProductId).ThrowIfInvalid();
        return await ReadAsync(context, db => Queries.ProductMessageAsync(db, request.ProductId))
            ?? throw new NotFoundException("product", request.ProductId);
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
                response.Products.Add(await Queries.ToProductAsync(db, row));
            }
            return response;
        });
    }

    public override Task<BomVersion> SetBillOfMaterials(SetBillOfMaterialsRequest request, ServerCallContext context)
    {
        Access.Operator(context.GetCaller());
        var validator = new RequestValidator().RequestId(request.RequestId).Id("product_id", request.ProductId)
            .Optional("note", request.Note, 500);
        BomLines(validator, request.Lines, "lines").ThrowIfInvalid();

        return idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var db = Db.Of(session);
            // The product row serialises concurrent BOM changes, so versions are 1, 2, 3… without gaps.
            var product = await db.SingleOrDefaultAsync<ProductRow>(
                $"SELECT {Queries.ProductColumns} FROM products WHERE product_id = @productId{session.Dialect.ForUpdate}",
                new { productId = request.ProductId }) ?? throw new NotFoundException("product", request.ProductId);
            var version = product.CurrentBomVersion + 1;
            await InsertBomVersionAsync(session, db, product.ProductId, version, request.Lines, request.Note, Now());
            await session.ExecuteAsync(
                "UPDATE products SET current_bom_version = @version WHERE product_id = @productId",
                new { version, productId = product.ProductId });
            return (await Queries.BomVersionAsync(db, product.ProductId, version))!;
        }, context.CancellationToken);
    }

    public override async Task<BomVersion> GetBomVersion(GetBomVersionRequest request, ServerCallContext context)
    {
        Access.AnyRole(context.GetCaller());
        new RequestValidator().Id("product_id", request.ProductId).Positive("version", request.Version, int.MaxValue).ThrowIfInvalid();
        return await ReadAsync(context, async db =>
        {
            if (await Queries.ProductAsync(db, request.ProductId) is null)
            {
                throw new NotFoundException("product", request.ProductId);
            }
            return await Queries.BomVersionAsync(db, request.ProductId, request.Version)
                ?? throw new NotFoundException("bom_version", $"{request.ProductId}/{request.Version}");
        });
    }

    private static RequestValidator BomLines(RequestValidator validator, RepeatedField<BomLine> lines, string field)
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

    private static async Task InsertBomVersionAsync(
        Bimtek.Data.Persistence.DbSession session, Db db, string productId, int version, IEnumerable<BomLine> lines, string note, long now)
    {
        var list = lines.ToList();
        await RequireMaterialsAsync(db, list.Select(l => l.MaterialId));
        await session.ExecuteAsync(
            "INSERT INTO bom_versions (product_id, version, note, created_at) VALUES (@productId, @version, @note, @now)",
            new { productId, version, note, now });
        foreach (var line in list)
        {
            await session.ExecuteAsync(
                "INSERT INTO bom_lines (product_id, version, material_id, quantity_per_unit, waste_per_mille) " +
                "VALUES (@productId, @version, @materialId, @quantityPerUnit, @wastePerMille)",
                new { productId, version, materialId = line.MaterialId, quantityPerUnit = line.QuantityPerUnit, wastePerMille = line.WastePerMille });
        }
    }
}
