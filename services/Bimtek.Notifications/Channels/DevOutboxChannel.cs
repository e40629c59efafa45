using System.Collections.Concurrent;
using Bimtek.Notifications.Domain;

namespace Bimtek.Notifications.Channels;

/// <summary>The local run's only channel: messages go to the log and the <c>/dev/outbox</c> page; nothing leaves the machine.</summary>
public sealed partial class DevOutboxChannel(ILogger<DevOutboxChannel> logger, TimeProvider time) : INotificationChannel
{
    private readonly ConcurrentQueue<DevOutboxEntry> _entries = new();

    public ChannelKind Kind => ChannelKind.DevOutbox;

    /// <summary>Newest first, at most 200.</summary>
    public IReadOnlyList<DevOutboxEntry> Entries => [.. _entries.Reverse()];

    public Task<SendResult> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        var to = string.Join(" ", new[] { message.Phone, message.Email, message.PushEndpoint.Length > 0 ? "push" : "" }.Where(s => s.Length > 0));
        _entries.Enqueue(new DevOutboxEntry(time.GetUtcNow(), message.MessageId, to, message.Template, message.Language, message.Text));
        while (_entries.Count > 200)
        {
            _entries.TryDequeue(out _);
        }
        LogSent(logger, message.MessageId, to, message.Text);
        return Task.FromResult(SendResult.Accepted(message.MessageId));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dev outbox: message {MessageId} to {To}: {Text}")]
    private static partial void LogSent(ILogger logger, string messageId, string to, string text);
}

public sealed record DevOutboxEntry(DateTimeOffset At, string MessageId, string To, string Template, MessageLanguage Language, string Text);
