using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bimtek.ServiceDefaults.Time;

namespace Bimtek.Notifications.Domain;

/// <summary>One message the planner wants sent to one person.</summary>
/// <param name="DedupeKey">Names the fact for this person: the same key is never queued twice.</param>
/// <param name="BatchItem">Set for batched messages: the item this event adds to the batch (counted once).</param>
/// <param name="Secret">The text holds a secret (a code, an invitation link): the log keeps a redacted text once sent.</param>
public sealed record PlannedMessage(
    string Subject,
    string DedupeKey,
    string Template,
    MessageLanguage Language,
    IReadOnlyDictionary<string, string> Arguments,
    DateTimeOffset NotBefore,
    string? BatchItem = null,
    bool Secret = false);

/// <summary>
/// Turns an event into messages: who hears of it, in which language, from when. Rules:
/// <list type="bullet">
/// <item>behind schedule and home visits (booked, moved, cancelled) → the trainee, and the guardian when the trainee
/// is a minor; home visits also → the instructor;</item>
/// <item>kit dispatched and output rejected / sent back for rework (with the reason) → the trainee; for a minor
/// without the guardian's consent → the guardian instead (the minor's own copy is suppressed at send time);</item>
/// <item>PPE waiting for sign-off → each of the programme's health experts, one message per expert per hour
/// (<see cref="BatchWindow"/>), sent when the hour ends;</item>
/// <item>handover created → the recipient's contact, with the document number;</item>
/// <item>sign-in codes and invitations → the person, at once: they are asked for by someone waiting for them, so
/// quiet hours do not hold them back (everything else waits for the end of quiet hours).</item>
/// </list>
/// Each person reads the message in their own language (Indonesian unless their contact says English).
/// </summary>
public static class EventPlanner
{
    public static IReadOnlyList<PlannedMessage> Plan(
        NotificationEvent notificationEvent,
        Func<string, ContactInfo?> contacts,
        DateTimeOffset now,
        TimeZoneInfo zone,
        QuietHours quiet)
    {
        var allowed = quiet.NextAllowed(now, zone);
        var plan = new List<PlannedMessage>();

        MessageLanguage LanguageOf(string subject) => contacts(subject)?.Language ?? MessageLanguage.Indonesian;
        string NameOf(string subject) => contacts(subject) is { Name.Length: > 0 } c ? c.Name : subject;

        // The trainee, plus the guardian of a minor (always, or only when the minor may not be told).
        IEnumerable<string> TraineeAudience(string trainee, bool guardianAlways)
        {
            yield return trainee;
            if (contacts(trainee) is { Minor: true, GuardianSubject.Length: > 0 } minor && (guardianAlways || !minor.GuardianConsent))
            {
                yield return minor.GuardianSubject;
            }
        }

        void Add(string subject, string key, string template, Func<MessageLanguage, Dictionary<string, string>> arguments,
            DateTimeOffset? notBefore = null, string? batchItem = null, bool secret = false)
        {
            var language = LanguageOf(subject);
            plan.Add(new PlannedMessage(subject, $"{key}:{subject}", template, language, arguments(language), notBefore ?? allowed, batchItem, secret));
        }

        switch (notificationEvent)
        {
            case BehindScheduleEvent e:
                foreach (var to in TraineeAudience(e.Trainee, guardianAlways: true))
                {
                    Add(to, $"behind:{e.Trainee}:{e.Day}", Templates.BehindSchedule, _ => new()
                    {
                        ["trainee"] = NameOf(e.Trainee),
                        ["day"] = e.Day,
                        ["made"] = e.Made.ToString(CultureInfo.InvariantCulture),
                        ["expected"] = e.Expected.ToString(CultureInfo.InvariantCulture),
                    });
                }
                break;
            case HomeVisitEvent e:
                var template = e.Change switch
                {
                    VisitChange.Booked => Templates.HomeVisitBooked,
                    VisitChange.Moved => Templates.HomeVisitMoved,
                    _ => Templates.HomeVisitCancelled,
                };
                var audience = TraineeAudience(e.Trainee, guardianAlways: true).ToList();
                if (e.Instructor.Length > 0)
                {
                    audience.Add(e.Instructor);
                }
                foreach (var to in audience.Distinct())
                {
                    // The n-th move is its own fact (moved there, moved back, moved there again); a booking keeps its key.
                    var move = e.TimesMoved > 0 ? $":{e.TimesMoved}" : "";
                    Add(to, $"visit:{e.VisitId}:{e.Change}:{Instants.ToUnixMs(e.ScheduledAt)}{move}", template, language => new()
                    {
                        ["trainee"] = NameOf(e.Trainee),
                        ["when"] = Templates.When(e.ScheduledAt, zone, language),
                        ["village"] = e.Village,
                        ["because"] = e.Change == VisitChange.Booked ? "" : Templates.Because(e.Reason, language),
                    });
                }
                break;
            case KitDispatchedEvent e:
                foreach (var to in TraineeAudience(e.Trainee, guardianAlways: false))
                {
                    Add(to, $"kit:{e.DispatchId}", Templates.KitDispatched, _ => new()
                    {
                        ["trainee"] = NameOf(e.Trainee),
                        ["product"] = e.ProductName,
                    });
                }
                break;
            case OutputSentBackEvent e:
                foreach (var to in TraineeAudience(e.Trainee, guardianAlways: false))
                {
                    Add(to, $"output:{e.ReportId}:{(e.Rework ? "rework" : "rejected")}", e.Rework ? Templates.OutputRework : Templates.OutputRejected, _ => new()
                    {
                        ["trainee"] = NameOf(e.Trainee),
                        ["reason"] = e.Reason,
                        ["units"] = e.Units.ToString(CultureInfo.InvariantCulture),
                    });
                }
                break;
            case AwaitingSignOffEvent e:
                var windowEnd = BatchWindow.End(now);
                var sendAt = quiet.NextAllowed(windowEnd, zone);
                foreach (var expert in e.HealthExperts.Distinct())
                {
                    Add(expert, $"ppe:{BatchWindow.Key(now)}", Templates.PpeSignOffBatch, _ => [], sendAt, batchItem: e.InspectionId);
                }
                break;
            case HandoverEvent e:
                Add(e.Recipient, $"handover:{e.HandoverId}", Templates.HandoverCreated, _ => new()
                {
                    ["recipient"] = e.RecipientName.Length > 0 ? e.RecipientName : NameOf(e.Recipient),
                    ["units"] = e.Units.ToString(CultureInfo.InvariantCulture),
                    ["product"] = e.ProductName,
                    ["document"] = e.DocumentNumber,
                    ["to_phone"] = e.Phone,
                });
                break;
            case SignInCodeEvent e:
                Add(e.Subject, $"code:{Fingerprint(e.Code, e.ExpiresAt)}", Templates.SignInCode, language => new()
                {
                    ["code"] = e.Code,
                    ["url"] = e.Url,
                    ["expires"] = Templates.When(e.ExpiresAt, zone, language),
                    ["to_phone"] = e.Phone,
                }, notBefore: now, secret: true);
                break;
            case InvitationEvent e:
                Add(e.Subject, $"invitation:{Fingerprint(e.Url, e.ExpiresAt)}", Templates.Invitation, language => new()
                {
                    ["url"] = e.Url,
                    ["expires"] = Templates.When(e.ExpiresAt, zone, language),
                    ["to_email"] = e.Email,
                    ["to_phone"] = e.Phone,
                }, notBefore: now, secret: true);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(notificationEvent), notificationEvent.GetType().Name, "Unknown event.");
        }
        return plan;
    }

    // A secret never appears in a key; its hash names the fact.
    private static string Fingerprint(string secret, DateTimeOffset expiresAt) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{secret}|{Instants.ToUnixMs(expiresAt)}")))[..24];

    /// <summary>The text kept in the log once a secret-bearing message was sent.</summary>
    public static IReadOnlyDictionary<string, string> Redacted(IReadOnlyDictionary<string, string> arguments) =>
        arguments.ToDictionary(a => a.Key, a => a.Key is "code" or "url" ? "••••" : a.Value);
}
