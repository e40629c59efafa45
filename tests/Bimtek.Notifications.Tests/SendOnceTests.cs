using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// At most one provider request per send: the service is stopped while the provider holds a message (the provider
/// has taken it; our commit of its acceptance never happens). After the restart the message is not sent again: it is
/// UNKNOWN, settled by the provider's signed status report (which names our key) or, without one, FAILED after the
/// unknown-outcome window, when only an operator's resend sends it again (with a new key).
/// </summary>
[Trait("Category", "Integration")]
public sealed class SendOnceTests
{
    private const string Office = "DISPERINDAGKOP-HSU";

    private static ReceiveEventRequest Kit(string trainee, string programme) => new()
    {
        RequestId = NotificationsHarness.NewId(),
        ProgrammeId = programme,
        KitDispatched = new KitDispatched { DispatchId = "d-" + trainee, TraineeSubject = trainee, ProductName = "APD" },
    };

    private static Task<NotificationsHarness> StartAsync(DatabaseKind db, string name, string window) =>
        NotificationsHarness.StartAsync(db, name, configuration: new Dictionary<string, string?>
        {
            ["Notifications:SendLease"] = "00:00:01",
            ["Notifications:UnknownOutcomeWindow"] = window,
        });

    /// <summary>Holds the provider's first answer until released; records the request meanwhile (the provider has the message).</summary>
    private static (TaskCompletionSource Arrived, TaskCompletionSource Release) HoldFirstAnswer(HttpStandIn provider)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = 0;
        provider.BeforeAnswer = _ =>
        {
            if (Interlocked.Exchange(ref first, 1) == 1)
            {
                return Task.CompletedTask;
            }
            arrived.TrySetResult();
            return release.Task;
        };
        return (arrived, release);
    }

    /// <summary>Stops the service while the provider holds the message, starts it again and waits for the message to be judged UNKNOWN.</summary>
    private static async Task<Message> StopMidCallAsync(NotificationsHarness h, string trainee, string programme)
    {
        var (arrived, release) = HoldFirstAnswer(h.WhatsApp);
        await h.Service.ReceiveEventAsync(Kit(trainee, programme));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The claim and its attempt were committed before the call.
        var during = Assert.Single(await h.MessagesAsync(trainee));
        Assert.Equal(DeliveryStatus.Queued, during.Status);
        Assert.Equal(("in_flight", Channel.Whatsapp), (Assert.Single(during.DeliveryAttempts).Outcome, during.DeliveryAttempts[0].Channel));

        await h.RestartAsync();
        release.TrySetResult(); // the provider answers 200 to a process that is gone
        var unknown = await h.EventuallyStatusAsync(trainee, DeliveryStatus.Unknown);
        Assert.Equal("unknown", Assert.Single(unknown.DeliveryAttempts).Outcome);
        Assert.Contains("not sent again", unknown.LastError, StringComparison.OrdinalIgnoreCase);
        return unknown;
    }

    [Theory, BothDatabases]
    public async Task A_service_stopped_while_the_provider_has_the_message_sends_it_once_and_the_signed_report_settles_it(DatabaseKind db)
    {
        await using var h = await StartAsync(db, "notify-send-once", window: "01:00:00");
        var programme = Guid.NewGuid().ToString();
        h.ProgrammeOffices[programme] = Office;
        await h.SetContactAsync("t-gita", phone: "081234567860");

        var unknown = await StopMidCallAsync(h, "t-gita", programme);
        // The relay delivered the send row again after the restart (and retried while the claim was young): no second request.
        await Task.Delay(1500);
        var request = Assert.Single(h.WhatsApp.Requests);
        using (var body = JsonDocument.Parse(request.Body))
        {
            // Our key travels with the message (the Cloud API echoes it in every status report).
            Assert.Equal(unknown.MessageId, body.RootElement.GetProperty("biz_opaque_callback_data").GetString());
        }
        // The office sees it among the programme's failed deliveries, and cannot resend it while its outcome is open.
        var failed = await h.OperatorOf(Office).ListFailedDeliveriesAsync(new ListFailedDeliveriesRequest { ProgrammeId = programme });
        Assert.Equal(unknown.MessageId, Assert.Single(failed.Messages).MessageId);
        var refused = await NotificationsHarness.FailsAsync(Grpc.Core.StatusCode.FailedPrecondition, () => h.OperatorOf(Office).ResendMessageAsync(
            new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = unknown.MessageId }).ResponseAsync);
        Assert.Equal("MESSAGE_NOT_RESENDABLE", NotificationsHarness.Reason(refused));

        // The provider's signed report names the wamid we never recorded and our key: it settles the message.
        var report = $$$"""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","statuses":[{"id":"wamid.held","status":"delivered","timestamp":"1591000000","recipient_id":"6281234567860","biz_opaque_callback_data":"{{{unknown.MessageId}}}"}]}}]}]}""";
        using var http = h.Host.CreateHttpClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/callbacks/whatsapp") { Content = new StringContent(report, Encoding.UTF8, "application/json") };
        post.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(NotificationsHarness.AppSecret), Encoding.UTF8.GetBytes(report))));
        using (var answer = await http.SendAsync(post))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        }
        var settled = Assert.Single(await h.MessagesAsync("t-gita"));
        Assert.Equal((DeliveryStatus.Delivered, "wamid.held", Channel.Whatsapp), (settled.Status, settled.ProviderMessageId, settled.Channel));
        Assert.Single(h.WhatsApp.Requests);
    }

    [Theory, BothDatabases]
    public async Task Without_a_report_an_unknown_message_turns_failed_after_the_window_and_only_a_resend_sends_it_again(DatabaseKind db)
    {
        await using var h = await StartAsync(db, "notify-unknown-window", window: "00:00:02");
        var programme = Guid.NewGuid().ToString();
        h.ProgrammeOffices[programme] = Office;
        await h.SetContactAsync("t-hana", phone: "081234567861");

        var unknown = await StopMidCallAsync(h, "t-hana", programme);
        var failed = await h.EventuallyStatusAsync("t-hana", DeliveryStatus.Failed);
        Assert.Contains("no delivery report", failed.LastError, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Single(h.WhatsApp.Requests);

        // An operator decides to send it again: a new request, with the resend's own key.
        var resent = await h.OperatorOf(Office).ResendMessageAsync(new ResendMessageRequest { RequestId = NotificationsHarness.NewId(), MessageId = unknown.MessageId });
        Assert.Equal(DeliveryStatus.Queued, resent.Status);
        var sent = await h.EventuallyStatusAsync("t-hana", DeliveryStatus.Sent);
        Assert.Equal(2, h.WhatsApp.Requests.Count);
        using var body = JsonDocument.Parse(h.WhatsApp.Requests[1].Body);
        Assert.Equal(unknown.MessageId + ".1", body.RootElement.GetProperty("biz_opaque_callback_data").GetString());
        Assert.Equal(["unknown", "sent"], sent.DeliveryAttempts.Select(a => a.Outcome));
    }
}
