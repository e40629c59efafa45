namespace Bimtek.Notifications.Domain;

/// <summary>
/// Which channels to try for a person, in order. Rule: the person's preferred channel first, then WhatsApp, then
/// SMS (people in Indonesia are reached on WhatsApp first), then e-mail, then web push — each only when the person
/// has the address it needs (a phone for WhatsApp and SMS, an e-mail address, a push subscription) and the channel
/// is configured. No channel left: the message is suppressed (no usable address).
/// </summary>
public static class ChannelPlan
{
    private static readonly ChannelKind[] _fallbackOrder = [ChannelKind.WhatsApp, ChannelKind.Sms, ChannelKind.Email, ChannelKind.WebPush];

    public static IReadOnlyList<ChannelKind> For(string phone, string email, bool hasPush, ChannelKind preferred, IReadOnlySet<ChannelKind> configured)
    {
        bool Reachable(ChannelKind kind) => configured.Contains(kind) && kind switch
        {
            ChannelKind.WhatsApp or ChannelKind.Sms => phone.Length > 0,
            ChannelKind.Email => email.Length > 0,
            ChannelKind.WebPush => hasPush,
            _ => false,
        };
        var order = new List<ChannelKind>();
        if (Reachable(preferred))
        {
            order.Add(preferred);
        }
        order.AddRange(_fallbackOrder.Where(k => k != preferred && Reachable(k)));
        return order;
    }
}
