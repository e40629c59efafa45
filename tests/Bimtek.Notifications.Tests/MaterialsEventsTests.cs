using Bimtek.Materials.V1;
using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MaterialsClient = Bimtek.Materials.V1.MaterialsService.MaterialsServiceClient;

namespace Bimtek.Notifications.Tests;

/// <summary>Materials' dispatched kits through its outbox to notifications: each trainee hears of their own kit once.</summary>
[Trait("Category", "Integration")]
public sealed class MaterialsEventsTests
{
    // 10:10 WITA: outside quiet hours.
    private static readonly DateTimeOffset _morning = new(2020, 5, 16, 2, 10, 0, TimeSpan.Zero);

    // Reference data of materials (Schema/0002_reference_data.sql).
    private const string DistrictOffice = "c1000000-0000-4000-8000-000000000002";

    [Theory, BothDatabases]
    public async Task Each_dispatched_kit_reaches_its_trainee_once_with_the_product(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-kit", _morning);
        using var database = await TestDatabase.CreateAsync(db, "materials-notify");
        var link = new NotificationsLink(notifications);
        await using var materials = new ServiceHost<Bimtek.Materials.Program>(database, link.Route(),
            NotificationsLink.Settings(("Materials:SendNotifications", "true")));
        var office = materials.Client<MaterialsClient>(TestTokens.Operator());
        var fabric = (await office.CreateMaterialAsync(new CreateMaterialRequest { RequestId = NotificationsHarness.NewId(), Code = "FAB-NOTIFY", Name = "Kain sasirangan", BaseUnit = BaseUnit.SquareCentimetre })).MaterialId;
        var product = new CreateProductRequest { RequestId = NotificationsHarness.NewId(), Code = "MASK-NOTIFY", Name = "masker sasirangan", UnitName = "masker" };
        product.BomLines.Add(new BomLine { MaterialId = fabric, QuantityPerUnit = 40 });
        var productId = (await office.CreateProductAsync(product)).ProductId;
        var receipt = new ReceiveStockRequest { RequestId = NotificationsHarness.NewId(), LocationId = DistrictOffice, SupplierDocumentNumber = "SPB/NOTIFY", LotCode = "L-NOTIFY" };
        receipt.Lines.Add(new MaterialQuantity { MaterialId = fabric, Quantity = 40 * 200 });
        await office.ReceiveStockAsync(receipt);
        var (siti, rahmat) = ("trainee-siti-" + Guid.NewGuid().ToString("N")[..8], "trainee-rahmat-" + Guid.NewGuid().ToString("N")[..8]);
        await notifications.SetContactAsync(siti, phone: "081234500021", change: c => c.Name = "Siti");
        await notifications.SetContactAsync(rahmat, phone: "081234500022", language: V1.Language.English, change: c => c.Name = "Rahmat");
        var planRequest = new PlanKitsRequest { RequestId = NotificationsHarness.NewId(), ProgrammeId = NotificationsHarness.NewId(), ProductId = productId, SourceLocationId = DistrictOffice };
        planRequest.Quotas.Add(new TraineeQuota { TraineeId = siti, Quota = 100 });
        planRequest.Quotas.Add(new TraineeQuota { TraineeId = rahmat, Quota = 100 });
        var plan = await office.PlanKitsAsync(planRequest);

        // Siti's kit first, then the rest; each dispatch replayed.
        var first = new DispatchKitPlanRequest { RequestId = NotificationsHarness.NewId(), KitPlanId = plan.KitPlanId, TraineeIds = { siti } };
        await office.DispatchKitPlanAsync(first);
        await office.DispatchKitPlanAsync(first);
        var rest = new DispatchKitPlanRequest { RequestId = NotificationsHarness.NewId(), KitPlanId = plan.KitPlanId };
        await office.DispatchKitPlanAsync(rest);
        await office.DispatchKitPlanAsync(rest);

        var toSiti = await notifications.EventuallyStatusAsync(siti, DeliveryStatus.Sent);
        var toRahmat = await notifications.EventuallyStatusAsync(rahmat, DeliveryStatus.Sent);
        Assert.Equal("Bimtek: kit bahan masker sasirangan untuk Siti sudah dikirim ke rumah.", toSiti.Text);
        Assert.Equal("Bimtek: the masker sasirangan kit for Rahmat has been dispatched to their home.", toRahmat.Text);
        await NotificationsHarness.EventuallyAsync(async () =>
        {
            await using var connection = await materials.Services.GetRequiredService<Bimtek.Data.Persistence.Database>().OpenConnectionAsync();
            return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending'") == 0;
        }, "materials' outbox drained");
        Assert.Single(await notifications.MessagesAsync(siti));
        Assert.Single(await notifications.MessagesAsync(rahmat));
        Assert.Equal(2, notifications.WhatsApp.Requests.Count);
    }
}
