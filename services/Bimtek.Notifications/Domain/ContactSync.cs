namespace Bimtek.Notifications.Domain;

/// <summary>A person's contact as the service that registers them knows it (participants), with its version there.</summary>
public sealed record PersonContactEvent(
    string Subject,
    string Name,
    string Phone,
    string Email,
    MessageLanguage Language,
    bool Minor,
    string GuardianName,
    string GuardianPhone,
    bool GuardianConsent,
    long Version) : NotificationEvent;

/// <summary>What the sender owns of a contact; the rest (preferred channel, opt-out, push subscription) stays as set here.</summary>
public sealed record SourcedContact(string Subject, string Name, string Phone, string Email, MessageLanguage Language, bool Minor,
    string GuardianSubject, bool GuardianConsent, long Version);

/// <summary>
/// Contacts follow people. Rules:
/// <list type="bullet">
/// <item>the person's phone is kept in E.164 (<see cref="PhoneNumberRules"/>); a number that is not a valid phone number
/// is not kept (the person is then reached by the other addresses, or not at all), never sent to a provider as given;</item>
/// <item>a trainee with a guardian (a name or a phone) names the guardian's contact <c>guardian:&lt;subject&gt;</c>, which
/// reads messages in the trainee's language;</item>
/// <item>a change older than the one kept (a lower version) changes nothing, whatever order the outbox delivers in.</item>
/// </list>
/// </summary>
public static class ContactSync
{
    public static string GuardianSubjectOf(string subject) => "guardian:" + subject;

    /// <summary>The person's contact and, when they have a guardian, the guardian's.</summary>
    public static (SourcedContact Person, SourcedContact? Guardian) From(PersonContactEvent e)
    {
        var hasGuardian = e.GuardianName.Trim().Length > 0 || e.GuardianPhone.Trim().Length > 0;
        var guardianSubject = hasGuardian ? GuardianSubjectOf(e.Subject) : "";
        var person = new SourcedContact(e.Subject, e.Name.Trim(), PhoneNumberRules.ToE164(e.Phone) ?? "", ValidEmail(e.Email), e.Language, e.Minor,
            guardianSubject, e.GuardianConsent, e.Version);
        var guardian = hasGuardian
            ? new SourcedContact(guardianSubject, e.GuardianName.Trim(), PhoneNumberRules.ToE164(e.GuardianPhone) ?? "", "", e.Language, false, "", false, e.Version)
            : null;
        return (person, guardian);
    }

    private static string ValidEmail(string email) =>
        System.Net.Mail.MailAddress.TryCreate(email.Trim(), out var address) && address.Address == email.Trim() ? email.Trim() : "";
}
