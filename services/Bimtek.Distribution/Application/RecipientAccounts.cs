using Bimtek.Data.Outbox;
using Bimtek.Data.Persistence;
using Bimtek.Distribution.Data;
using Bimtek.Distribution.Hosting;
using Bimtek.Identity.V1;
using Microsoft.Extensions.Options;

namespace Bimtek.Distribution.Application;

/// <summary>
/// A recipient's users get accounts (role recipient) in the identity service: one outbox message per user
/// subject, written in the recipient's transaction (only with <c>Distribution:SendAccountChanges</c>).
/// </summary>
internal sealed class RecipientAccounts(OutboxWriter outbox, IOptions<DistributionOptions> options)
{
    public const string Destination = "identity.account-change";

    public async Task RecipientCreatedAsync(DbSession session, RecipientRow recipient)
    {
        if (!options.Value.SendAccountChanges)
        {
            return;
        }
        foreach (var subject in recipient.UserSubjects)
        {
            await outbox.EnqueueAsync(session, Destination, new ApplyAccountChangeRequest
            {
                Subject = subject,
                Role = AccountRole.Recipient,
                Name = recipient.Name,
                Active = true,
            });
        }
    }
}

/// <summary>Delivers recipient users' accounts to IdentityInternalService.ApplyAccountChange.</summary>
internal sealed class RecipientAccountDestination(IServiceProvider services) : OutboxDestination<ApplyAccountChangeRequest>
{
    public override string Name => RecipientAccounts.Destination;

    // Resolved per delivery: a missing identity address fails (and retries) the delivery, not the host's start.
    protected override Task SendAsync(ApplyAccountChangeRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<IdentityInternalService.IdentityInternalServiceClient>().ApplyAccountChangeAsync(request, cancellationToken: cancellationToken).ResponseAsync;
}
