using Bimtek.Identity.Data;
using Bimtek.Identity.Domain;
using Bimtek.Identity.Hosting;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;
using Bimtek.ServiceDefaults.Time;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bimtek.Identity.Application;

/// <summary>The outcome of a code or invitation check.</summary>
public sealed record SecretCheck(Account? Account, TimeSpan? RetryAfter)
{
    public bool Succeeded => Account is not null;
}

/// <summary>
/// Trainees' one-time sign-in codes and staff invitations: issued once (the request_id is a unique key),
/// stored as a hash bound to the account, short-lived, used at most once (a guarded update decides), and
/// tried at most a few times per person and per address in each window.
/// </summary>
public sealed class OneTimeSecretService(
    IdentityDb db,
    AttemptLimiter limiter,
    ISignInCodeSender sender,
    IOptions<IdentityServiceOptions> options,
    TimeProvider time,
    OfficeScope offices,
    ILookupNormalizer normalizer)
{
    private IdentityServiceOptions Settings => options.Value;

    public async Task<(Account Account, string Code, DateTimeOffset ExpiresAt)> IssueCodeAsync(
        Caller caller, string requestId, string subject, bool send, CancellationToken cancellationToken, Func<string, string, string>? signInLink = null)
    {
        if (!AccountRoles.MayIssueCodes(caller))
        {
            throw new PermissionDeniedException("Sign-in codes are issued by operators and instructors.");
        }
        var account = await db.Users.AsNoTracking().SingleOrDefaultAsync(a => a.Subject == subject, cancellationToken)
            ?? throw new NotFoundException("account", subject);
        if (account.Role != Roles.Trainee)
        {
            throw new PreconditionException(Reasons.NotATrainee, "Sign-in codes are for trainees; staff sign in with a password.");
        }
        if (account.Disabled)
        {
            throw new PreconditionException(Reasons.AccountDisabled, "This account is disabled.");
        }
        if (limiter.TryAcquire("issue:" + account.Id, Settings.Limits.CodesIssuedPerPerson, Settings.Limits.Window) is { } wait)
        {
            throw new RateLimitedException(wait, "Too many sign-in codes were issued for this trainee lately.");
        }
        var code = OneTimeSecrets.NewCode();
        var expiresAt = time.GetUtcNow() + Settings.SignInCodeLifetime;
        await AddAsync(requestId, account, OneTimeSecret.Purposes.SignInCode, OneTimeSecrets.NormaliseCode(code), expiresAt, cancellationToken);
        if (send && !string.IsNullOrEmpty(account.PhoneNumber))
        {
            await sender.SendAsync(new SentMessage(account.PhoneNumber, "sign-in code",
                $"Kode masuk Bimtek Anda: {code} (berlaku sampai {expiresAt:HH:mm} UTC). Jangan berikan kepada orang lain.", time.GetUtcNow())
            {
                AccountSubject = account.Subject,
                Code = code,
                Url = signInLink?.Invoke(account.Subject, code) ?? "",
                ExpiresAt = expiresAt,
            }, cancellationToken);
        }
        return (account, code, expiresAt);
    }

    /// <summary>
    /// An invitation for <paramref name="subject"/>'s account, created first from <paramref name="newAccount"/> when there
    /// is none. Operators invite; an operator account of an office the caller does not cover is answered as unknown.
    /// </summary>
    public async Task<(Account Account, string Token, DateTimeOffset ExpiresAt)> IssueInvitationAsync(
        Caller caller, string requestId, string subject, CancellationToken cancellationToken, Func<string, string, string>? invitationLink = null,
        NewStaffAccount? newAccount = null)
    {
        caller.Require(Roles.Operator);
        var account = await db.Users.AsNoTracking().SingleOrDefaultAsync(a => a.Subject == subject, cancellationToken);
        if (account is null && newAccount is not null)
        {
            account = await CreateStaffAccountAsync(caller, subject, newAccount, cancellationToken);
        }
        if (account is null || !StaffOffices.MayInvite(offices, caller, account.Role, account.Office))
        {
            throw new NotFoundException("account", subject);
        }
        if (!AccountRoles.SignsInWithPassword(account.Role))
        {
            throw new PreconditionException(Reasons.NotInvitable, "Trainees sign in with one-time codes, not invitations.");
        }
        var token = OneTimeSecrets.NewInvitationToken();
        var expiresAt = time.GetUtcNow() + Settings.InvitationLifetime;
        await AddAsync(requestId, account, OneTimeSecret.Purposes.Invitation, token, expiresAt, cancellationToken);
        // Sent to the person only through real channels (or the local dev inbox): a link is never written to a deployment's log.
        if ((Settings.SendThroughNotifications || Settings.DevInbox) && invitationLink is not null
            && (!string.IsNullOrEmpty(account.Email) || !string.IsNullOrEmpty(account.PhoneNumber)))
        {
            var url = invitationLink(account.Subject, token);
            await sender.SendAsync(new SentMessage(account.Email ?? account.PhoneNumber ?? "", "invitation",
                $"Undangan akun Bimtek: {url} (berlaku sampai {expiresAt:yyyy-MM-dd HH:mm} UTC).", time.GetUtcNow())
            {
                AccountSubject = account.Subject,
                Url = url,
                ExpiresAt = expiresAt,
                Invitation = true,
                Email = account.Email ?? "",
                Phone = account.PhoneNumber ?? "",
            }, cancellationToken);
        }
        return (account, token, expiresAt);
    }

    /// <summary>
    /// Checks a typed code for the person named by <paramref name="signInName"/> and uses it up. Every
    /// refusal looks the same (unknown person, wrong, expired, used or someone else's code).
    /// </summary>
    public async Task<SecretCheck> RedeemCodeAsync(string signInName, string typedCode, string address, CancellationToken cancellationToken)
    {
        var (kind, name) = SignInNames.Parse(signInName);
        var limits = Settings.Limits;
        var wait = limiter.TryAcquire("address:" + address, limits.AttemptsPerAddress, limits.Window)
            ?? limiter.TryAcquire("person:" + kind + ":" + name, limits.CodeAttemptsPerPerson, limits.Window);
        if (wait is not null)
        {
            return new SecretCheck(null, wait);
        }
        var code = OneTimeSecrets.NormaliseCode(typedCode);
        if (code.Length == 0)
        {
            return new SecretCheck(null, null);
        }
        // A family phone may belong to several trainees: the code says whose it is.
        foreach (var account in await AccountLookup.ByNameAsync(db, kind, name, cancellationToken))
        {
            if (account.Role == Roles.Trainee && !account.Disabled
                && await UseAsync(account, OneTimeSecret.Purposes.SignInCode, code, cancellationToken))
            {
                limiter.Reset("person:" + kind + ":" + name);
                return new SecretCheck(account, null);
            }
        }
        return new SecretCheck(null, null);
    }

    /// <summary>Checks an invitation link and uses it up.</summary>
    public async Task<SecretCheck> RedeemInvitationAsync(string subject, string token, string address, CancellationToken cancellationToken)
    {
        if (limiter.TryAcquire("address:" + address, Settings.Limits.AttemptsPerAddress, Settings.Limits.Window) is { } wait)
        {
            return new SecretCheck(null, wait);
        }
        var account = await db.Users.SingleOrDefaultAsync(a => a.Subject == subject, cancellationToken);
        return account is { Disabled: false } && await UseAsync(account, OneTimeSecret.Purposes.Invitation, token, cancellationToken)
            ? new SecretCheck(account, null)
            : new SecretCheck(null, null);
    }

    /// <summary>Whether an invitation is still usable (the set-password page is shown only then).</summary>
    public async Task<Account?> PeekInvitationAsync(string subject, string token, CancellationToken cancellationToken)
    {
        var account = await db.Users.AsNoTracking().SingleOrDefaultAsync(a => a.Subject == subject, cancellationToken);
        if (account is null || account.Disabled)
        {
            return null;
        }
        var now = time.NowMs();
        var candidates = await db.OneTimeSecrets.AsNoTracking()
            .Where(s => s.AccountId == account.Id && s.Purpose == OneTimeSecret.Purposes.Invitation && s.UsedAtMs == null && s.ExpiresAtMs > now)
            .ToListAsync(cancellationToken);
        return candidates.Any(s => OneTimeSecrets.Matches(s.Hash, account.Id, token)) ? account : null;
    }

    /// <summary>
    /// A staff account created by an operator, in their own office or (a province's operator) one of its districts;
    /// PERMISSION_DENIED for any other office. Two concurrent creations of one subject: the unique subject decides.
    /// </summary>
    private async Task<Account> CreateStaffAccountAsync(Caller caller, string subject, NewStaffAccount fields, CancellationToken cancellationToken)
    {
        var office = string.IsNullOrWhiteSpace(fields.Office) ? offices.Resolve(caller.Office) : fields.Office.Trim();
        if (!offices.Covers(caller.Office, office))
        {
            throw new PermissionDeniedException("An operator creates accounts for their own office only (a province's operator also for its district offices).");
        }
        var account = new Account
        {
            Id = Guid.CreateVersion7().ToString(),
            Subject = subject,
            UserName = subject,
            NormalizedUserName = normalizer.NormalizeName(subject),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
            Role = fields.Role,
            DisplayName = fields.Name.Trim(),
            Office = office,
            ChangedAtMs = time.NowMs(),
        };
        if (!string.IsNullOrWhiteSpace(fields.Email))
        {
            account.Email = fields.Email.Trim();
            account.NormalizedEmail = normalizer.NormalizeEmail(account.Email);
        }
        if (!string.IsNullOrWhiteSpace(fields.Phone))
        {
            account.PhoneNumber = SignInNames.NormalisePhone(fields.Phone) is { Length: > 0 } phone ? phone : fields.Phone.Trim();
        }
        db.Users.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return await db.Users.AsNoTracking().SingleAsync(a => a.Subject == subject, cancellationToken);
        }
        db.Entry(account).State = EntityState.Detached;
        return account;
    }

    private async Task AddAsync(string requestId, Account account, string purpose, string secret, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        db.OneTimeSecrets.Add(new OneTimeSecret
        {
            Id = Guid.CreateVersion7().ToString(),
            RequestId = requestId,
            AccountId = account.Id,
            Purpose = purpose,
            Hash = OneTimeSecrets.Hash(account.Id, secret),
            ExpiresAtMs = Instants.ToUnixMs(expiresAt),
            CreatedAtMs = time.NowMs(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new AlreadyExistsException(Reasons.AlreadyIssued, "This request_id already issued a secret; it is shown only once. Send a new request_id.");
        }
    }

    /// <summary>Marks the matching unexpired, unused secret used; a guarded update so two tabs cannot both use it.</summary>
    private async Task<bool> UseAsync(Account account, string purpose, string secret, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        var candidates = await db.OneTimeSecrets.AsNoTracking()
            .Where(s => s.AccountId == account.Id && s.Purpose == purpose && s.UsedAtMs == null && s.ExpiresAtMs > now)
            .ToListAsync(cancellationToken);
        var match = candidates.FirstOrDefault(s => OneTimeSecrets.Matches(s.Hash, account.Id, secret));
        if (match is null)
        {
            return false;
        }
        var used = await db.OneTimeSecrets
            .Where(s => s.Id == match.Id && s.UsedAtMs == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAtMs, now), cancellationToken);
        return used == 1;
    }
}

/// <summary>Finds accounts by what a person types to sign in.</summary>
public static class AccountLookup
{
    public static async Task<IReadOnlyList<Account>> ByNameAsync(IdentityDb db, SignInNames.Kind kind, string name, CancellationToken cancellationToken) =>
        kind switch
        {
            SignInNames.Kind.Email => await db.Users.Where(a => a.NormalizedEmail == name).ToListAsync(cancellationToken),
            SignInNames.Kind.Phone => await db.Users.Where(a => a.PhoneNumber == name).ToListAsync(cancellationToken),
            _ => await db.Users.Where(a => a.NormalizedUserName == name.ToUpperInvariant()).ToListAsync(cancellationToken),
        };
}
