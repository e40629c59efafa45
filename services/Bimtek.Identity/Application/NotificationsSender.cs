using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Time;
using Grpc.Core;

namespace Bimtek.Identity.Application;

/// <summary>
/// Real channels (<c>Identity:SendThroughNotifications</c>): an account invitation goes to the notifications service as an
/// <c>InvitationIssued</c> event (e-mail first, else phone); a sign-in code goes as a
/// <c>SignInCodeIssued</c> event, which sends it on the trainee's (or guardian's) channel in their language, at once
/// (codes are not held by quiet hours). The code is already stored and is in the issuing answer, so a notifications
/// service that is down costs the trainee the message, not the code: the failure is logged and the issuer reads the
/// code out.
/// </summary>
public sealed partial class NotificationsSender(IServiceProvider services, ILogger<NotificationsSender> logger) : ISignInCodeSender
{
    public async Task SendAsync(SentMessage message, CancellationToken cancellationToken)
    {
        var expiresAt = message.ExpiresAt is { } expires ? Instants.ToTimestamp(expires) : null;
        var request = new ReceiveEventRequest { RequestId = Guid.NewGuid().ToString() };
        if (message.Invitation)
        {
            request.InvitationIssued = new InvitationIssued
            {
                Subject = message.AccountSubject,
                Url = message.Url,
                ExpiresAt = expiresAt,
                Email = message.Email,
                Phone = message.Phone,
            };
        }
        else
        {
            request.SignInCodeIssued = new SignInCodeIssued
            {
                Subject = message.AccountSubject,
                Code = message.Code,
                Url = message.Url,
                Phone = message.To,
                ExpiresAt = expiresAt,
            };
        }
        try
        {
            // Resolved per call: a missing notifications address fails this send, not the host's start.
            var client = services.GetRequiredService<NotificationsInternalService.NotificationsInternalServiceClient>();
            await client.ReceiveEventAsync(request, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            LogNotSent(logger, message.AccountSubject, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in code for {Subject} not handed to the notifications service: {Error}")]
    private static partial void LogNotSent(ILogger logger, string subject, string error);
}
