using Bimtek.Notifications.Domain;
using Bimtek.Notifications.Hosting;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bimtek.Notifications.Channels;

/// <summary>
/// E-mail by SMTP with MailKit: one connection per message (messages are few), STARTTLS by default. The Message-ID is
/// the send's idempotency key (<c>key@bimtek</c>, <see cref="SendKeys"/>): the same on every retry, so mail systems that
/// de-duplicate on it drop a repeat, and the provider's event webhook names our message by it.
/// </summary>
public sealed class EmailChannel(IOptions<NotificationsOptions> options) : INotificationChannel
{
    public ChannelKind Kind => ChannelKind.Email;

    public async Task<SendResult> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        var settings = options.Value.Email;
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress(settings.FromName, settings.From));
        mail.To.Add(MailboxAddress.Parse(message.Email));
        mail.Subject = Templates.Subject(message.Template, message.Language);
        mail.MessageId = $"{message.IdempotencyKey}@bimtek";
        mail.Body = new TextPart("plain") { Text = message.Text };
        var security = settings.Security switch
        {
            "None" => SecureSocketOptions.None,
            "SslOnConnect" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, security, cancellationToken);
            if (settings.Username.Length > 0)
            {
                await client.AuthenticateAsync(settings.Username, settings.Password, cancellationToken);
            }
            await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return SendResult.Accepted(mail.MessageId);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode is >= 500 and < 600)
        {
            // 5xx: the server refuses this message or address for good.
            return new SendResult(SendOutcome.Permanent, Detail: $"SMTP {(int)ex.StatusCode}: {ex.Message}");
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException or AuthenticationException)
        {
            return new SendResult(SendOutcome.Transient, Detail: $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
