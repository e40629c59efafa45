using System.Text.Json;
using Bimtek.Common.V1;
using Bimtek.Distribution.V1;
using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// End to end through an emitting service's outbox: distribution creates a handover, its relay delivers the event to
/// notifications (down at first: the relay retries until it is back), and the recipient's phone gets one WhatsApp
/// message with the document number.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OutboxEndToEndTests
{
    [Theory, BothDatabases]
    public async Task A_handover_reaches_the_recipient_once_with_its_document_number_though_notifications_was_down(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-e2e");
        using var distributionDatabase = await TestDatabase.CreateAsync(db, "distribution-notify");
        var notificationsUp = false;
        await using var distribution = new ServiceHost<Bimtek.Distribution.Program>(distributionDatabase,
            new Downstream().Route("notifications", () => new SwitchingHandler(() => notificationsUp ? notifications.Host.CreateHandler() : null)),
            new Dictionary<string, string?>
            {
                ["Distribution:SendNotifications"] = "true",
                ["Outbox:PollInterval"] = "00:00:00.100",
                ["Outbox:InitialBackoff"] = "00:00:00.100",
                ["Outbox:MaxBackoff"] = "00:00:00.300",
            });
        var service = distribution.Client<DistributionInternalService.DistributionInternalServiceClient>(TestTokens.Service("production"));
        var office = distribution.Client<DistributionService.DistributionServiceClient>(TestTokens.Operator());
        var programme = Guid.NewGuid().ToString();
        await service.ReceiveAcceptedGoodsAsync(new ReceiveAcceptedGoodsRequest
        {
            RequestId = NotificationsHarness.NewId(),
            InspectionId = NotificationsHarness.NewId(),
            ProgrammeId = programme,
            TraineeId = NotificationsHarness.NewId(),
            ProductCode = "APD-SET",
            Units = 60,
            AcceptedAt = Timestamp.FromDateTime(new DateTime(2020, 6, 10, 8, 0, 0, DateTimeKind.Utc)),
        });
        var recipient = await office.CreateRecipientAsync(new CreateRecipientRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Kind = RecipientKind.HealthCentre,
            Name = "Puskesmas Amuntai",
            District = "Hulu Sungai Utara",
            ContactPerson = "Siti",
            Phone = "0813-5123-4567",
        });
        var handover = await office.CreateHandoverAsync(new CreateHandoverRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme,
            ProductCode = "APD-SET",
            ProductName = "set APD",
            ProgrammeTitle = "Bimtek pembuatan APD",
            Units = 60,
            RecipientId = recipient.RecipientId,
            Day = new Google.Type.Date { Year = 2020, Month = 6, Day = 12 },
            Place = "Kantor Disperindagkop-UKM HSU, Amuntai",
            Giver = new Signatory { Name = "Drs. H. Ahmad Fauzi", Position = "Kepala Dinas" },
            Receiver = new Signatory { Name = "Siti", Position = "Kepala Puskesmas" },
        });

        // Down: the relay keeps the event pending.
        await Task.Delay(800);
        Assert.Empty(await notifications.MessagesAsync(recipient.RecipientId));
        notificationsUp = true;

        var sent = await notifications.EventuallyStatusAsync(recipient.RecipientId, DeliveryStatus.Sent);
        Assert.Equal("handover_created", sent.Template);
        Assert.Equal($"Bimtek: serah terima 60 set APD untuk Puskesmas Amuntai siap. Nomor berita acara: {handover.DocumentNumber}.", sent.Text);
        var request = Assert.Single(notifications.WhatsApp.Requests);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("6281351234567", body.RootElement.GetProperty("to").GetString());
        Assert.Contains(handover.DocumentNumber, body.RootElement.GetProperty("template").GetProperty("components")[0].GetProperty("parameters")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        // Redelivery after a restart of the receiver changes nothing.
        await notifications.RestartAsync();
        await Task.Delay(500);
        Assert.Single(notifications.WhatsApp.Requests);
        Assert.Single(await notifications.MessagesAsync(recipient.RecipientId));
    }

    /// <summary>
    /// Reaches whatever host serves notifications now (the client factory keeps a primary handler for minutes), or
    /// fails as a refused connection does while it is down.
    /// </summary>
    private sealed class SwitchingHandler(Func<HttpMessageHandler?> current) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var handler = current() ?? throw new HttpRequestException("Connection refused (test: notifications is down)");
            using var invoker = new HttpMessageInvoker(handler, disposeHandler: true);
            return await invoker.SendAsync(request, cancellationToken);
        }
    }
}
