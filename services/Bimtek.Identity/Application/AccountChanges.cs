using Bimtek.Identity.Data;
using Bimtek.Identity.Domain;
using Bimtek.Identity.V1;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Time;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bimtek.Identity.Application;

/// <summary>
/// Applies participants' and distribution's account changes, each once: the applied-change row (keyed by
/// the sender's outbox message id) is inserted in the same transaction as the account change, so a duplicate
/// delivery — also a concurrent one — fails on the unique key and changes nothing.
/// </summary>
internal sealed class AccountChanges(IdentityDb db, ILookupNormalizer normalizer, OfficeScope offices, TimeProvider time)
{
    public async Task<AccountState> ApplyAsync(ApplyAccountChangeRequest request, CancellationToken cancellationToken)
    {
        var role = AccountRoles.ToRole(request.Role) ?? throw new ValidationException("role", "must be a person's role");
        var now = time.NowMs();
        var changedAt = request.ChangedAt is null ? now : Instants.ToUnixMs(request.ChangedAt);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AppliedChanges.Add(new AppliedChange { RequestId = request.RequestId, Subject = request.Subject, AppliedAtMs = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Applied before (the key decided): answer with the account as it is.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await CurrentAsync(request.Subject, cancellationToken);
        }
        var account = await db.Users.SingleOrDefaultAsync(a => a.Subject == request.Subject, cancellationToken);
        if (account is null)
        {
            account = new Account
            {
                Id = Guid.CreateVersion7().ToString(),
                Subject = request.Subject,
                UserName = request.Subject,
                NormalizedUserName = normalizer.NormalizeName(request.Subject),
                SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true,
            };
            db.Users.Add(account);
        }
        if (changedAt >= account.ChangedAtMs)
        {
            account.Role = role;
            account.DisplayName = string.IsNullOrWhiteSpace(request.Name) ? account.DisplayName : request.Name.Trim();
            // The change's office (participants: the programme's); none keeps the account's, or gives a new one the default office.
            account.Office = string.IsNullOrWhiteSpace(request.Office) ? (account.Office.Length > 0 ? account.Office : offices.DefaultOffice) : request.Office.Trim();
            if (!string.IsNullOrWhiteSpace(request.Phone))
            {
                account.PhoneNumber = SignInNames.NormalisePhone(request.Phone) is { Length: > 0 } phone ? phone : request.Phone;
            }
            if (!string.IsNullOrWhiteSpace(request.Email))
            {
                account.Email = request.Email.Trim();
                account.NormalizedEmail = normalizer.NormalizeEmail(account.Email);
            }
            if (account.Disabled == request.Active)
            {
                // Changing the stamp ends the account's sign-in sessions on this service.
                account.SecurityStamp = Guid.NewGuid().ToString("N");
            }
            account.Disabled = !request.Active;
            account.ChangedAtMs = changedAt;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AccountState(account.Subject, !account.Disabled);
    }

    private async Task<AccountState> CurrentAsync(string subject, CancellationToken cancellationToken)
    {
        var account = await db.Users.AsNoTracking().SingleOrDefaultAsync(a => a.Subject == subject, cancellationToken);
        return new AccountState(subject, account is { Disabled: false });
    }
}

/// <summary>An account after a change was applied (or found applied before): its subject and whether it may sign in.</summary>
internal sealed record AccountState(string Subject, bool Active);
