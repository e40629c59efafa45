using System.Collections.Concurrent;
using Bimtek.Notifications.V1;
using Bimtek.Production.Tests.Fakes;
using Bimtek.Production.V1;
using Bimtek.Testing.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static Bimtek.Production.Tests.Scenario;

namespace Bimtek.Production.Tests;

/// <summary>
/// Production's events for people leave through its outbox to notifications' ReceiveEvent (a fake that, like the real
/// one, applies each request_id once): rejected units with the reason, units sent back for rework, and units of a
/// medical product waiting for sign-off addressed to the programme's health experts.
/// </summary>
public sealed class NotificationEventsTests
{
    [Theory, BothDatabases]
    public async Task Rejections_rework_and_units_waiting_for_sign_off_are_told_once_each(DatabaseKind kind)
    {
        using var db = await TestDatabase.CreateAsync(kind, "production-notify");
        await using var fakes = await FakeSuite.StartAsync();
        var received = new FakeNotifications();
        await using var notifications = await WebTestHost.StartAsync(
            builder =>
            {
                builder.Services.AddGrpc();
                builder.Services.AddSingleton(received);
            },
            app => app.MapGrpcService<FakeNotificationsService>());
        var p = PpeProgramme(fakes);
        await using var host = new ServiceHost<Program>(db, fakes.Downstream().Route("notifications", notifications), new Dictionary<string, string?>
        {
            ["Production:SendNotifications"] = "true",
            ["Production:ReconcilerPeriod"] = "00:00:00.200",
            ["Outbox:InitialBackoff"] = "00:00:00.100",
            ["Outbox:MaxBackoff"] = "00:00:00.500",
            ["Outbox:PollInterval"] = "00:00:00.200",
        });
        var siti = p.Trainees[0];
        var report = await host.AsTrainee(siti).ReportOutputAsync(Report(p, siti, new DateOnly(2020, 6, 3), 9));

        // The instructor passes 7 (they wait for a health expert) and rejects 2; the same request again changes nothing.
        var inspect = new InspectOutputRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProgrammeId = p.Id,
            TraineeId = siti.Id,
            ReportIds = { report.ReportId },
            AcceptedUnits = 7,
            RejectedUnits = 2,
            Defects = { new DefectCount { DefectCode = "SEAM_NOT_SEALED", Units = 2 } },
            Note = "Jahitan bocor",
        };
        var inspection = await host.AsInstructor(p).InspectOutputAsync(inspect);
        await host.AsInstructor(p).InspectOutputAsync(inspect);
        var rework = new SendBackForReworkRequest { RequestId = Guid.NewGuid().ToString(), InspectionId = inspection.InspectionId, Units = 2, Note = "Jahit ulang lapisan luar" };
        var order = await host.AsInstructor(p).SendBackForReworkAsync(rework);
        await host.AsInstructor(p).SendBackForReworkAsync(rework);
        await host.AsHealthExpert(p).SignOffInspectionAsync(new SignOffInspectionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            InspectionId = inspection.InspectionId,
            AcceptedUnits = 6,
            RejectedUnits = 1,
            Defects = { new DefectCount { DefectCode = "SEAM_NOT_SEALED", Units = 1 } },
        });

        await OutboxDrainedAsync(host);
        var events = received.Events.Values.ToList();
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Equal((p.Id, "Asia/Makassar"), (e.ProgrammeId, e.TimeZone)));

        var sentBack = events.Where(e => e.EventCase == ReceiveEventRequest.EventOneofCase.OutputSentBack).Select(e => e.OutputSentBack).OrderBy(e => e.ReportId, StringComparer.Ordinal).ToList();
        Assert.Equal(3, sentBack.Count);
        Assert.All(sentBack, e => Assert.Equal(siti.Id, e.TraineeSubject));
        var rejected = Assert.Single(sentBack, e => e.ReportId == inspection.InspectionId);
        Assert.Equal((false, 2, "Jahitan bocor (SEAM_NOT_SEALED × 2)"), (rejected.Rework, rejected.Units, rejected.Reason));
        var atSignOff = Assert.Single(sentBack, e => e.ReportId == inspection.InspectionId + "/sign-off");
        Assert.Equal((false, 1, "SEAM_NOT_SEALED × 1"), (atSignOff.Rework, atSignOff.Units, atSignOff.Reason));
        var reworked = Assert.Single(sentBack, e => e.ReportId == order.ReworkOrderId);
        Assert.Equal((true, 2, "Jahit ulang lapisan luar"), (reworked.Rework, reworked.Units, reworked.Reason));

        var waiting = Assert.Single(events, e => e.EventCase == ReceiveEventRequest.EventOneofCase.InspectionAwaitingSignOff).InspectionAwaitingSignOff;
        Assert.Equal((inspection.InspectionId, 7), (waiting.InspectionId, waiting.Units));
        Assert.Equal([p.HealthExpert.Id], waiting.HealthExpertSubjects);
    }

    /// <summary>What the fake notifications service received, one entry per request_id (the sender's outbox id).</summary>
    public sealed class FakeNotifications
    {
        public ConcurrentDictionary<string, ReceiveEventRequest> Events { get; } = new();
    }

    public sealed class FakeNotificationsService(FakeNotifications received) : NotificationsInternalService.NotificationsInternalServiceBase
    {
        public override Task<ReceiveEventResponse> ReceiveEvent(ReceiveEventRequest request, ServerCallContext context) =>
            Task.FromResult(new ReceiveEventResponse { Duplicate = !received.Events.TryAdd(request.RequestId, request) });
    }
}
