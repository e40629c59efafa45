using Bimtek.Notifications.Data;
using Bimtek.ServiceDefaults.Errors;
using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Notifications.Api;

/// <summary>
/// Who may call what:
/// <list type="bullet">
/// <item>events come only from other services' relays (<c>service</c>); contacts are set by operators and services;</item>
/// <item>a person reads their own contact and messages; operators read anyone's contact, and a person's messages of
/// the programmes of their office (a province's operators also its districts'), plus those of no programme (codes,
/// invitations); services read everything;</item>
/// <item>resending a message and a programme's failed deliveries: operators of the programme's office (the office
/// check of <c>programme_id</c> requests runs in <see cref="ProgrammeOfficeInterceptor"/>) and services;</item>
/// <item>webhooks: integrators and operators, each their office's (a province's also its districts').</item>
/// </list>
/// A caller reading another person's record, or another office's webhook, gets PERMISSION_DENIED whether or not it exists.
/// </summary>
internal sealed class Access(IProgrammeOffices programmes, OfficeScope offices)
{
    public static Caller RequireService(Caller caller) => caller.Require(Roles.Service);

    public static Caller RequireContactWriter(Caller caller) => caller.Require(Roles.Operator, Roles.Service);

    public static Caller RequireOffice(Caller caller) => caller.Require(Roles.Operator, Roles.Service);

    public static void RequireSelfOrOffice(Caller caller, string subject)
    {
        if (caller.IsAny(Roles.Operator, Roles.Service) || IsSelf(caller, subject))
        {
            return;
        }
        throw new PermissionDeniedException();
    }

    public static bool IsSelf(Caller caller, string subject) => caller.Subject.Length > 0 && caller.Subject == subject;

    /// <summary>Whether the caller sees this message: its addressee, a service, or an operator whose office covers the message's programme.</summary>
    public async ValueTask<bool> SeesAsync(Caller caller, MessageRow message, CancellationToken cancellationToken)
    {
        if (caller.Is(Roles.Service) || IsSelf(caller, message.Subject))
        {
            return true;
        }
        if (!caller.Is(Roles.Operator))
        {
            return false;
        }
        if (message.ProgrammeId.Length == 0)
        {
            return true;
        }
        var office = await programmes.OfficeOfAsync(message.ProgrammeId, cancellationToken);
        return offices.Covers(caller.Office, office);
    }

    /// <summary>NOT_FOUND unless participants knows the programme (the office check has already passed it).</summary>
    public async Task RequireKnownProgrammeAsync(string programmeId, CancellationToken cancellationToken)
    {
        if (await programmes.OfficeOfAsync(programmeId, cancellationToken) is null)
        {
            throw new NotFoundException("programme", programmeId);
        }
    }

    /// <summary>Webhooks are registered and read by integrators and operators, for their office.</summary>
    public static Caller RequireWebhookOwner(Caller caller) => caller.Require(Roles.Integrator, Roles.Operator);

    /// <summary>The offices whose webhooks the caller sees: its own, and a province's districts.</summary>
    public IReadOnlyList<string> OfficesOf(Caller caller) => offices.Visible(caller.Office);

    /// <summary>PERMISSION_DENIED unless the webhook exists and belongs to an office the caller's covers.</summary>
    public void RequireWebhookOfOffice(Caller caller, WebhookRow? webhook)
    {
        if (webhook is null || !offices.Covers(caller.Office, webhook.Office))
        {
            throw new PermissionDeniedException();
        }
    }

    /// <summary>A resend: operators of the message's programme's office, and services.</summary>
    public async Task RequireResenderAsync(Caller caller, MessageRow message, CancellationToken cancellationToken)
    {
        if (!caller.IsAny(Roles.Operator, Roles.Service) || !await SeesAsync(caller, message, cancellationToken))
        {
            throw new PermissionDeniedException();
        }
    }
}
