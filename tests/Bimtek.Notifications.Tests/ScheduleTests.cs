using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;

namespace Bimtek.Notifications.Tests;

/// <summary>Quiet hours and the hourly PPE batch on a fake clock, across a restart.</summary>
[Trait("Category", "Integration")]
public sealed class ScheduleTests
{
    // 22:30 WITA (Asia/Makassar, UTC+8) on 1 June 2020.
    private static readonly DateTimeOffset _lateEvening = new(2020, 6, 1, 14, 30, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task Nothing_is_sent_in_quiet_hours_the_message_waits_for_seven_oclock_also_across_a_restart(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-quiet", _lateEvening);
        await h.SetContactAsync("t-lina", phone: "081234567898", change: c => { c.Minor = true; c.GuardianSubject = "g-lina"; c.GuardianConsent = true; });
        await h.SetContactAsync("g-lina", phone: "081234567899", language: Language.English);
        var answer = await h.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            TimeZone = "Asia/Makassar",
            TraineeBehindSchedule = new TraineeBehindSchedule { TraineeSubject = "t-lina", Day = "2020-06-01", Made = 2, Expected = 6 },
        });
        Assert.Equal(2, answer.MessagesQueued);
        var morning = new DateTimeOffset(2020, 6, 1, 23, 0, 0, TimeSpan.Zero); // 07:00 WITA on 2 June
        foreach (var subject in new[] { "t-lina", "g-lina" })
        {
            var queued = Assert.Single(await h.MessagesAsync(subject));
            Assert.Equal(DeliveryStatus.Queued, queued.Status);
            Assert.Equal(morning, queued.NotBefore.ToDateTimeOffset());
        }
        // The relay polls every 100 ms: a second of night lets it look ten times.
        await Task.Delay(1000);
        Assert.Empty(h.WhatsApp.Requests);

        await h.RestartAsync();
        h.Clock!.SetUtcNow(morning.AddMinutes(-1));
        await Task.Delay(500);
        Assert.Empty(h.WhatsApp.Requests);
        h.Clock.SetUtcNow(morning);
        await h.EventuallyStatusAsync("t-lina", DeliveryStatus.Sent);
        var guardian = await h.EventuallyStatusAsync("g-lina", DeliveryStatus.Sent);
        Assert.StartsWith("Bimtek: t-lina is behind schedule on 2020-06-01: 2 of 6 units made.", guardian.Text, StringComparison.Ordinal);
        Assert.Equal(2, h.WhatsApp.Requests.Count);
    }

    [Theory, BothDatabases]
    public async Task Ppe_sets_waiting_for_sign_off_are_told_once_per_expert_per_hour(DatabaseKind db)
    {
        // 10:10 WITA.
        var start = new DateTimeOffset(2020, 6, 10, 2, 10, 0, TimeSpan.Zero);
        await using var h = await NotificationsHarness.StartAsync(db, "notify-ppe", start);
        await h.SetContactAsync("he-1", phone: "081311111111");
        await h.SetContactAsync("he-2", phone: "081322222222", language: Language.English);
        ReceiveEventRequest Waiting(string inspection) => new()
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = "ppe-2020",
            InspectionAwaitingSignOff = new InspectionAwaitingSignOff { InspectionId = inspection, HealthExpertSubjects = { "he-1", "he-2" }, Units = 9 },
        };
        var first = Waiting("insp-1");
        await h.Service.ReceiveEventAsync(first);
        h.Clock!.Advance(TimeSpan.FromMinutes(20));
        await h.Service.ReceiveEventAsync(Waiting("insp-2"));
        await h.Service.ReceiveEventAsync(first); // redelivered
        await h.Service.ReceiveEventAsync(Waiting("insp-2")); // the same set under another message id
        h.Clock.Advance(TimeSpan.FromMinutes(20));
        await h.Service.ReceiveEventAsync(Waiting("insp-3"));
        await Task.Delay(500);
        Assert.Empty(h.WhatsApp.Requests);

        h.Clock.SetUtcNow(new DateTimeOffset(2020, 6, 10, 3, 0, 0, TimeSpan.Zero));
        var one = await h.EventuallyStatusAsync("he-1", DeliveryStatus.Sent);
        var two = await h.EventuallyStatusAsync("he-2", DeliveryStatus.Sent);
        Assert.Equal("Bimtek: 3 pemeriksaan APD menunggu persetujuan Anda sebagai ahli kesehatan.", one.Text);
        Assert.Equal("Bimtek: 3 PPE inspection(s) wait for your sign-off as health expert.", two.Text);
        Assert.Equal(2, h.WhatsApp.Requests.Count);

        // The next hour starts a new batch.
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        await h.Service.ReceiveEventAsync(Waiting("insp-4"));
        Assert.Equal(2, (await h.MessagesAsync("he-1")).Count);
        h.Clock.SetUtcNow(new DateTimeOffset(2020, 6, 10, 4, 0, 0, TimeSpan.Zero));
        await NotificationsHarness.EventuallyAsync(() => Task.FromResult(h.WhatsApp.Requests.Count == 4), "the second hour's two messages");
        Assert.Contains("Bimtek: 1 pemeriksaan APD", (await h.MessagesAsync("he-1"))[0].Text, StringComparison.Ordinal);
    }
}
