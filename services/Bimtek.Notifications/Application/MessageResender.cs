using Bimtek.Data.Idempotency;
using Bimtek.Data.Outbox;
using Bimtek.Notifications.Data;
using Bimtek.Notifications.Domain;
using Bimtek.Notifications.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Time;
using Google.Protobuf;

namespace Bimtek.Notifications.Application;

/// <summary>
/// Resends a message: a new attempt on the same message, not a new message (its log, attempts and provider status
/// stay in one place; the de-duplication key keeps naming one fact). In one transaction, idempotent on the
/// request_id (the same id again returns the first answer and queues nothing): the message goes back to QUEUED,
/// due now, and this service's outbox sends it like any other — through its parked send row woken up, the pending
/// one that exists already, or a new one. Never two live send rows for one message, so a resend cannot race a
/// retry into a double send. Refused with <see cref="Reasons.MessageNotResendable"/>: a message still queued (it
/// is on its way), an UNKNOWN one (it may have gone out), and a sign-in code or invitation (its secret is not kept readable: issue a new one).
/// </summary>
internal sealed class MessageResender(IdempotentExecutor idempotency, OutboxWriter outbox, TimeProvider time)
{
    /// <summary>The executor stores the answer for replays, so the handler gives the mapping that makes it (<paramref name="respond"/>).</summary>
    public Task<TResponse> ResendAsync<TResponse>(ResendMessageRequest request, Func<MessageRow, Task> authorise,
        Func<MessageRow, IReadOnlyList<MessageStore.AttemptRow>, TResponse> respond, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new() =>
        idempotency.ExecuteAsync(request.RequestId, request, async session =>
        {
            var message = await MessageStore.FindAsync(session, request.MessageId) ?? throw new NotFoundException("message", request.MessageId);
            await authorise(message);
            if (message.MessageStatus == MessageStatus.Queued)
            {
                throw new PreconditionException(Reasons.MessageNotResendable, "The message is queued: it is on its way already.");
            }
            if (message.MessageStatus == MessageStatus.Unknown)
            {
                throw new PreconditionException(Reasons.MessageNotResendable,
                    "Whether the message went out is unknown (its sender stopped mid-call): wait for the provider's report or the unknown-outcome window.");
            }
            if (message.ArgumentMap.GetValueOrDefault("secret") == "1")
            {
                throw new PreconditionException(Reasons.MessageNotResendable,
                    "A sign-in code or invitation is not sent again (its secret is not kept): issue a new one.");
            }
            var now = time.NowMs();
            var payload = new SendMessageRequest { MessageId = message.MessageId };
            if (await MessageStore.PrepareResendAsync(session, message.MessageId, EventIntake.SendDestination, payload.ToByteArray(), now))
            {
                await outbox.EnqueueAsync(session, EventIntake.SendDestination, payload);
            }
            var updated = await MessageStore.FindAsync(session, message.MessageId);
            return respond(updated!, await MessageStore.AttemptsOfAsync(session, message.MessageId));
        }, cancellationToken);
}
