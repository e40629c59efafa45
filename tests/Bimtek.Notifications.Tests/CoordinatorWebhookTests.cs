using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bimtek.Coordinator.V1;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Security;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// The coordinator's facts reach integrators: an operator's quota override moves three trainees' quotas, and an
/// integrator's webhook receiver (verifying every signature) sees each quota.changed exactly once — also when the
/// notifications service was unreachable at the time and came back later (the events waited in the programme grain's
/// state). The real coordinator host (its silo on the test database) and the real notifications host.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CoordinatorWebhookTests
{
    private const string HomeOffice = "DISPERINDAGKOP-HSU";

    private static string Trainee(int n) => $"00000000-0000-4000-8000-{n:D12}";

    private static ProgrammeSnapshot Snapshot(string programmeId, Bimtek.Coordinator.V1.ProgrammePhase phase, long revision) => new()
    {
        ProgrammeId = programmeId,
        Code = "BIMTEK-APD-2026",
        Revision = revision,
        ProductCode = "PPE-SET",
        TargetQuantity = 60,
        StartDay = new Google.Type.Date { Year = 2026, Month = 3, Day = 1 },
        EndDay = new Google.Type.Date { Year = 2026, Month = 3, Day = 30 },
        TimeZone = "Asia/Makassar",
        Phase = phase,
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Theory, BothDatabases]
    public async Task A_quota_override_reaches_the_integrators_webhook_once_also_after_notifications_was_down(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-quota-webhook", configuration: new Dictionary<string, string?>
        {
            ["Notifications:Webhooks:AllowHttp"] = "true",
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var programme = Guid.NewGuid().ToString();
        h.ProgrammeOffices[programme] = HomeOffice;
        var integrator = h.Host.Client<NotificationsService.NotificationsServiceClient>(
            TestTokens.Mint("integrator-bpbd", [Roles.Integrator], TimeSpan.FromMinutes(10), office: HomeOffice));
        var created = await integrator.CreateWebhookAsync(new CreateWebhookRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Url = receiver.Url,
            EventTypes = { WebhookEventType.QuotaChanged, WebhookEventType.ProgrammeCompleted },
        });
        receiver.Secret = created.Secret;

        using var coordinatorDatabase = await TestDatabase.CreateAsync(db, "coordinator-quota-webhook");
        var link = new NotificationsLink(h);
        await using var coordinator = new ServiceHost<Bimtek.Coordinator.Program>(coordinatorDatabase, link.Route(), NotificationsLink.Settings(
            ("Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Orleans:ClusterId", "test-" + Guid.NewGuid().ToString("N")[..8]),
            ("Coordinator:SendNotifications", "true"),
            ("Coordinator:EventRetryDelay", "00:00:00.200"),
            ("Coordinator:EventMaxRetryDelay", "00:00:00.500")));
        var relay = coordinator.Client<QuotaInternalService.QuotaInternalServiceClient>(TestTokens.Service("participants"));
        var office = coordinator.Client<QuotaService.QuotaServiceClient>(TestTokens.Operator());

        // A draft with three trainees, then activated: each trainee's quota (20 of 60) is told once.
        for (var n = 1; n <= 3; n++)
        {
            await relay.ApplyEnrolmentChangeAsync(new ApplyEnrolmentChangeRequest
            {
                RequestId = NotificationsHarness.NewId(),
                Programme = Snapshot(programme, Bimtek.Coordinator.V1.ProgrammePhase.Draft, 1),
                TraineeId = Trainee(n),
                EnrolmentId = Guid.NewGuid().ToString(),
                Change = Bimtek.Coordinator.V1.EnrolmentChange.Enrolled,
                EnrolmentSequence = n,
                ChangedAt = Timestamp.FromDateTime(DateTime.UtcNow),
            });
        }
        await relay.ApplyProgrammeChangeAsync(new ApplyProgrammeChangeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Programme = Snapshot(programme, Bimtek.Coordinator.V1.ProgrammePhase.Active, 2),
        });
        await NotificationsHarness.EventuallyAsync(() => Task.FromResult(receiver.Processed.Count == 3), "the allocation's three quota.changed");

        // Notifications unreachable: the override is applied and its events wait in the programme's state.
        link.Down = true;
        var overrideRequest = new OverrideQuotaRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = programme,
            TraineeId = Trainee(1),
            Quota = 30,
            Reason = "Peserta menjahit lebih cepat",
        };
        await office.OverrideQuotaAsync(overrideRequest);
        await office.OverrideQuotaAsync(overrideRequest); // a retried request: applied once
        await Task.Delay(1500);
        Assert.Equal(3, receiver.Processed.Count);

        link.Down = false;
        await NotificationsHarness.EventuallyAsync(() => Task.FromResult(receiver.Processed.Count == 6), "the override's three quota.changed");
        await Task.Delay(1500);
        Assert.Empty(receiver.Refused);
        Assert.Equal(6, receiver.Processed.Count);
        Assert.Equal(6, receiver.Received.Count); // each delivery POSTed once
        var told = receiver.Processed.Values
            .Select(p => JsonDocument.Parse(p.Body).RootElement)
            .Select(e => (Type: e.GetProperty("type").GetString(), Programme: e.GetProperty("programme_id").GetString(), Data: e.GetProperty("data")))
            .ToList();
        Assert.All(told, t => Assert.Equal(("quota.changed", programme), (t.Type, t.Programme)));
        Assert.Equal(
            [(Trainee(1), 0, 20, "allocation"), (Trainee(1), 20, 30, "override"), (Trainee(2), 0, 20, "allocation"), (Trainee(2), 20, 15, "override"),
             (Trainee(3), 0, 20, "allocation"), (Trainee(3), 20, 15, "override")],
            told.Select(t => (t.Data.GetProperty("trainee_id").GetString(), t.Data.GetProperty("previous_quota").GetInt32(), t.Data.GetProperty("quota").GetInt32(),
                t.Data.GetProperty("reason").GetString())).Order());

        // The programme completes: programme.completed with its code.
        await relay.ApplyProgrammeChangeAsync(new ApplyProgrammeChangeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Programme = Snapshot(programme, Bimtek.Coordinator.V1.ProgrammePhase.Completed, 3),
        });
        await NotificationsHarness.EventuallyAsync(() => Task.FromResult(receiver.Processed.Count == 7), "programme.completed");
        var completed = receiver.Processed.Values.Select(p => JsonDocument.Parse(p.Body).RootElement)
            .Single(e => e.GetProperty("type").GetString() == "programme.completed");
        Assert.Equal(("BIMTEK-APD-2026", 60, 0), (completed.GetProperty("data").GetProperty("code").GetString(),
            completed.GetProperty("data").GetProperty("target_units").GetInt32(), completed.GetProperty("data").GetProperty("accepted_units").GetInt32()));
    }
}
