using System.Collections.Concurrent;

namespace Bimtek.Identity.Application;

/// <summary>Sends a trainee's sign-in code to their (or their guardian's) phone. The notifications service adds real channels.</summary>
public interface ISignInCodeSender
{
    Task SendAsync(SentMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A message about an account. <see cref="Text"/> is what the dev inbox shows; the notifications service writes its own
/// text (in the person's language) from <see cref="AccountSubject"/>, <see cref="Code"/>, <see cref="Url"/> and <see cref="ExpiresAt"/>.
/// </summary>
public sealed record SentMessage(string To, string Subject, string Text, DateTimeOffset SentAt)
{
    public string AccountSubject { get; init; } = "";

    public string Code { get; init; } = "";

    public string Url { get; init; } = "";

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>An account invitation (a staff member's or recipient user's link), not a sign-in code.</summary>
    public bool Invitation { get; init; }

    /// <summary>The account's e-mail address (invitations go there first).</summary>
    public string Email { get; init; } = "";

    /// <summary>The account's phone number.</summary>
    public string Phone { get; init; } = "";
}

/// <summary>The local run's sender: the message goes to the log and to the <c>/dev/inbox</c> page, nowhere else.</summary>
public sealed partial class DevInboxSender(ILogger<DevInboxSender> logger, TimeProvider time) : ISignInCodeSender
{
    private readonly ConcurrentQueue<SentMessage> _messages = new();

    public IReadOnlyList<SentMessage> Messages => [.. _messages.Reverse()];

    public Task SendAsync(SentMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message with { SentAt = time.GetUtcNow() });
        while (_messages.Count > 100)
        {
            _messages.TryDequeue(out _);
        }
        LogSent(logger, message.To, message.Subject, message.Text);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dev inbox: message to {To} about {Subject}: {Text}")]
    private static partial void LogSent(ILogger logger, string to, string subject, string text);
}
