using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// The office's side of notifications: a person's messages with their delivery attempts, a programme's failed
/// deliveries (keyset paged, office-checked) and resending a message (a new attempt on the same message, idempotent).
/// </summary>
[Trait("Category", "Integration")]
public sealed class MessageApiTests
{
    private const string HomeOffice = "DISPERINDAGKOP-HSU";
    private const string OtherOffice = "DISPERINDAG-HST";

    private static ReceiveEventRequest Kit(string trainee, string dispatchId, string programme) => new()
    {
        RequestId = NotificationsHarness.NewId(),
        ProgrammeId = programme,
        KitDispatched = new KitDispatched { DispatchId = dispatchId, TraineeSubject = trainee, ProductName = "APD" },
    };

    [Theory, BothDatabases]
    public async Task A_programmes_failed_deliveries_are_paged_without_repeats_and_only_for_its_office(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-failed-list");
        var programme = Guid.NewGuid().ToString();
        var elsewhere = Guid.NewGuid().ToString();
        h.ProgrammeOffices[programme] = HomeOffice;
        h.ProgrammeOffices[elsewhere] = OtherOffice;
        h.WhatsApp.Respond = _ => (500, "{}", null);
        h.Sms.Respond = _ => (502, "{}", null);
        var trainees = new[] { "t-fa", "t-fb", "t-fc" };
        foreach (var trainee in trainees)
        {
            await h.SetContactAsync(trainee, phone: "0812345678" + (trainee[^1] - 'a' + 10));
            await h.Service.ReceiveEventAsync(Kit(trainee, "d-" + trainee, programme));
        }
        // No address at all: suppressed, and listed too (the office has to find the trainee's number).
        await h.Service.ReceiveEventAsync(Kit("t-nocontact", "d-nocontact", programme));
        // Another programme's failure is not on this programme's list.
        await h.SetContactAsync("t-other", phone: "081234567820");
        await h.Service.ReceiveEventAsync(Kit("t-other", "d-other", elsewhere));
        foreach (var trainee in trainees)
        {
            await h.EventuallyStatusAsync(trainee, DeliveryStatus.Failed);
        }
        await h.EventuallyStatusAsync("t-nocontact", DeliveryStatus.Suppressed);
        // The home office's operator (the harness's) does not see another office's message: its own operator waits for it.
        await NotificationsHarness.EventuallyAsync(async () => (await h.OperatorOf(OtherOffice).ListMessagesAsync(new ListMessagesRequest { Subject = "t-other" }))
            .Messages.Any(m => m.Status == DeliveryStatus.Failed), "t-other: failed");
        Assert.Empty(await h.MessagesAsync("t-other"));

        var office = h.OperatorOf(HomeOffice);
        var seen = new List<Message>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await office.ListFailedDeliveriesAsync(new ListFailedDeliveriesRequest { ProgrammeId = programme, PageSize = 2, PageToken = token });
            Assert.True(page.Messages.Count <= 2);
            seen.AddRange(page.Messages);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);
        Assert.Equal(2, pages);
        Assert.Equal(["t-fa", "t-fb", "t-fc", "t-nocontact"], seen.Select(m => m.Subject).Order());
        Assert.Equal(seen.Count, seen.Select(m => m.MessageId).Distinct().Count());
        Assert.All(seen, m => Assert.Equal(programme, m.ProgrammeId));
        Assert.Equal(seen.OrderByDescending(m => m.CreatedAt.ToDateTimeOffset()).ThenByDescending(m => m.MessageId, StringComparer.Ordinal).Select(m => m.MessageId),
            seen.Select(m => m.MessageId));
        var failed = seen.First(m => m.Subject == "t-fa");
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        // Every try is listed, oldest first: WhatsApp three times, then SMS three times (at least one round).
        Assert.True(failed.DeliveryAttempts.Count >= 6, string.Join(" | ", failed.DeliveryAttempts));
        var firstRound = failed.DeliveryAttempts.Take(6).Select(a => a.Channel).ToList();
        Assert.Equal([Channel.Whatsapp, Channel.Whatsapp], firstRound.Take(2));
        Assert.Equal(3, firstRound.Count(c => c == Channel.Whatsapp));
        Assert.Equal(Channel.Sms, firstRound[^1]);
        // The relay keeps retrying a failed message: its newest try may still be in flight (recorded before the call).
        Assert.All(failed.DeliveryAttempts.SkipLast(1), a => Assert.Equal("transient", a.Outcome));
        Assert.Contains(failed.DeliveryAttempts[^1].Outcome, new[] { "transient", "in_flight" });
        Assert.Contains(failed.DeliveryAttempts, a => a.Channel == Channel.Sms && a.Detail.Contains("HTTP 502", StringComparison.Ordinal));
        Assert.Equal("no usable address or channel", seen.Single(m => m.Subject == "t-nocontact").LastError);

        // Another office's operator: refused for the programme, and its messages are not in the person's list either.
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.OperatorOf(OtherOffice)
            .ListFailedDeliveriesAsync(new ListFailedDeliveriesRequest { ProgrammeId = programme }).ResponseAsync);
        Assert.Empty((await h.OperatorOf(OtherOffice).ListMessagesAsync(new ListMessagesRequest { Subject = "t-fa" })).Messages);
        Assert.Single((await h.OperatorOf(OtherOffice).ListMessagesAsync(new ListMessagesRequest { Subject = "t-other" })).Messages);
        // A trainee has no office view, not even of a programme they are in.
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.Person("t-fa")
            .ListFailedDeliveriesAsync(new ListFailedDeliveriesRequest { ProgrammeId = programme }).ResponseAsync);
        // The person themself sees their message with its attempts.
        var own = Assert.Single((await h.Person("t-fa").ListMessagesAsync(new ListMessagesRequest { Subject = "t-fa" })).Messages);
        Assert.Equal(failed.MessageId, own.MessageId);
        Assert.NotEmpty(own.DeliveryAttempts);
        // A token of the failed list is not one of a person's list (each list's tokens are bound to it).
        var firstPage = await office.ListFailedDeliveriesAsync(new ListFailedDeliveriesRequest { ProgrammeId = programme, PageSize = 1 });
        Assert.NotEqual("", firstPage.NextPageToken);
        await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => office.ListMessagesAsync(
            new ListMessagesRequest { Subject = "t-fa", PageToken = firstPage.NextPageToken }).ResponseAsync);
    }

    [Theory, BothDatabases]
    public async Task Lists_of_no_one_and_of_no_programme_answer_not_found_and_a_malformed_programme_id_invalid(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-unknown");
        var office = h.OperatorOf(HomeOffice);
        // A subject with neither a contact nor a message is no one this service knows.
        await NotificationsHarness.FailsAsync(StatusCode.NotFound, () => office.ListMessagesAsync(
            new ListMessagesRequest { Subject = Guid.NewGuid().ToString() }).ResponseAsync);
        // A person with a contact and no message yet has an empty list, and a person signed in always has theirs.
        await h.SetContactAsync("t-quiet", phone: "081234567850");
        Assert.Empty((await office.ListMessagesAsync(new ListMessagesRequest { Subject = "t-quiet" })).Messages);
        Assert.Empty((await h.Person("t-new").ListMessagesAsync(new ListMessagesRequest { Subject = "t-new" })).Messages);
        // Failed deliveries: of a programme participants does not know, and of an id that is none.
        await NotificationsHarness.FailsAsync(StatusCode.NotFound, () => office.ListFailedDeliveriesAsync(
            new ListFailedDeliveriesRequest { ProgrammeId = Guid.NewGuid().ToString() }).ResponseAsync);
        await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => office.ListFailedDeliveriesAsync(
            new ListFailedDeliveriesRequest { ProgrammeId = "ppe-2020" }).ResponseAsync);
    }

    [Theory, BothDatabases]
    public async Task A_resend_is_a_new_attempt_on_the_same_message_once_per_request_id(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-resend");
        var programme = "ppe-" + Guid.NewGuid().ToString("N")[..8];
        h.ProgrammeOffices[programme] = HomeOffice;
        await h.SetContactAsync("t-rani", phone: "081234567840");
        await h.Service.ReceiveEventAsync(Kit("t-rani", "d-rani", programme));
        var sent = await h.EventuallyStatusAsync("t-rani", DeliveryStatus.Sent);
        Assert.Single(h.WhatsApp.Requests);

        var office = h.OperatorOf(HomeOffice);
        var request = new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = sent.MessageId };
        var answer = await office.ResendMessageAsync(request);
        Assert.Equal((sent.MessageId, DeliveryStatus.Queued, 1), (answer.MessageId, answer.Status, answer.Resends));
        var again = await h.EventuallyMessageAsync("t-rani", m => m.Status == DeliveryStatus.Sent && m.Resends == 1, "resent");
        Assert.Equal(2, h.WhatsApp.Requests.Count);
        // The same message again, with the resend's own idempotency key (a provider that de-duplicates must not drop it).
        Assert.Equal(h.WhatsApp.Requests[0].Text.Replace($"\"{sent.MessageId}\"", $"\"{sent.MessageId}.1\"", StringComparison.Ordinal), h.WhatsApp.Requests[1].Text);
        Assert.Contains($"\"biz_opaque_callback_data\":\"{sent.MessageId}\"", h.WhatsApp.Requests[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, again.Attempts);
        Assert.Equal(2, again.DeliveryAttempts.Count);
        Assert.Single(await h.MessagesAsync("t-rani"));

        // The same request again (a lost answer retried): the first answer, nothing queued.
        var replay = await office.ResendMessageAsync(request);
        Assert.Equal(answer, replay);
        await Task.Delay(600);
        Assert.Equal(2, h.WhatsApp.Requests.Count);
        // The same id for another message: refused.
        await h.Service.ReceiveEventAsync(Kit("t-rani", "d-rani-2", programme));
        var second = await h.EventuallyMessageAsync("t-rani", m => m.MessageId != sent.MessageId && m.Status == DeliveryStatus.Sent, "second kit");
        var reused = await NotificationsHarness.FailsAsync(StatusCode.InvalidArgument, () => office.ResendMessageAsync(
            new ResendMessageRequest { RequestId = request.RequestId, MessageId = second.MessageId }).ResponseAsync);
        Assert.Equal("REQUEST_ID_REUSED", NotificationsHarness.Reason(reused));

        // Who may: not the trainee, not another office; an unknown message is NOT_FOUND for the office.
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.Person("t-rani").ResendMessageAsync(
            new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = sent.MessageId }).ResponseAsync);
        await NotificationsHarness.FailsAsync(StatusCode.PermissionDenied, () => h.OperatorOf(OtherOffice).ResendMessageAsync(
            new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = sent.MessageId }).ResponseAsync);
        await NotificationsHarness.FailsAsync(StatusCode.NotFound, () => office.ResendMessageAsync(
            new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = Guid.NewGuid().ToString() }).ResponseAsync);
        Assert.Equal(3, h.WhatsApp.Requests.Count);
    }

    [Theory, BothDatabases]
    public async Task A_parked_failure_resent_after_the_provider_recovers_goes_out_once(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-resend-parked", configuration: new Dictionary<string, string?>
        {
            ["Outbox:MaxAttempts"] = "2",
            ["Notifications:TriesPerChannel"] = "1",
        });
        await h.SetContactAsync("t-sari", phone: "081234567850");
        h.WhatsApp.Respond = _ => (500, "{}", null);
        h.Sms.Respond = _ => (503, "{}", null);
        await h.Service.ReceiveEventAsync(Kit("t-sari", "d-sari", "ppe-2020"));
        var failed = await h.EventuallyStatusAsync("t-sari", DeliveryStatus.Failed);
        await NotificationsHarness.EventuallyAsync(async () => (await h.OutboxAsync()).Contains("parked", StringComparison.Ordinal), "the send row parked");
        var smsBefore = h.Sms.Requests.Count;

        h.Sms.Respond = _ => (200, "{\"id\":\"sms-after-resend\"}", null);
        var answer = await h.Operator.ResendMessageAsync(new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = failed.MessageId });
        Assert.Equal(DeliveryStatus.Queued, answer.Status);
        var sent = await h.EventuallyMessageAsync("t-sari", m => m.Status == DeliveryStatus.Sent, "sent after the resend");
        Assert.Equal(("sms-after-resend", Channel.Sms, 1), (sent.ProviderMessageId, sent.Channel, sent.Resends));
        await Task.Delay(600);
        Assert.Equal(smsBefore + 1, h.Sms.Requests.Count);
        Assert.DoesNotContain("parked", await h.OutboxAsync(), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Queued_messages_and_sign_in_codes_are_not_resent(DatabaseKind db)
    {
        await using var h = await NotificationsHarness.StartAsync(db, "notify-resend-refused");
        await h.SetContactAsync("he-nur", phone: "081234567860");
        await h.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            ProgrammeId = "ppe-2020",
            InspectionAwaitingSignOff = new InspectionAwaitingSignOff { InspectionId = "insp-r", HealthExpertSubjects = { "he-nur" }, Units = 9 },
        });
        var batched = Assert.Single(await h.MessagesAsync("he-nur"));
        Assert.Equal(DeliveryStatus.Queued, batched.Status);
        var queued = await NotificationsHarness.FailsAsync(StatusCode.FailedPrecondition, () => h.Operator.ResendMessageAsync(
            new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = batched.MessageId }).ResponseAsync);
        Assert.Equal("MESSAGE_NOT_RESENDABLE", NotificationsHarness.Reason(queued));

        await h.Service.ReceiveEventAsync(new ReceiveEventRequest
        {
            RequestId = NotificationsHarness.NewId(),
            SignInCodeIssued = new SignInCodeIssued { Subject = "t-kode", Code = "1234-5678", Phone = "081234567861", ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(15)) },
        });
        var code = await h.EventuallyStatusAsync("t-kode", DeliveryStatus.Sent);
        var secret = await NotificationsHarness.FailsAsync(StatusCode.FailedPrecondition, () => h.Operator.ResendMessageAsync(
            new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = code.MessageId }).ResponseAsync);
        Assert.Equal("MESSAGE_NOT_RESENDABLE", NotificationsHarness.Reason(secret));
        Assert.Single(h.WhatsApp.Requests);
    }
}
