using Bimtek.Testing.Hosting;

namespace Bimtek.Notifications.Tests;

/// <summary>
/// An emitting service's host whose <c>notifications</c> client reaches the harness's notifications host (also after
/// it restarts), or fails as a refused connection does while <see cref="NotificationsLink.Down"/>.
/// </summary>
public sealed class NotificationsLink(NotificationsHarness notifications)
{
    private volatile bool _down;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    public Downstream Route(Downstream? downstream = null) =>
        (downstream ?? new Downstream()).Route("notifications", () => new SwitchingHandler(() => Down ? null : notifications.Host.CreateHandler()));

    /// <summary>Fast outbox polling for the emitting service, plus its own settings.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Outbox:PollInterval"] = "00:00:00.100",
            ["Outbox:InitialBackoff"] = "00:00:00.100",
            ["Outbox:MaxBackoff"] = "00:00:00.300",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return all;
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
