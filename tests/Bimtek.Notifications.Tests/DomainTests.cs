using Bimtek.Notifications.Domain;

namespace Bimtek.Notifications.Tests;

public sealed class DomainTests
{
    private static readonly TimeZoneInfo _makassar = TimeZoneInfo.FindSystemTimeZoneById("Asia/Makassar");

    [Theory]
    [InlineData("2020-06-01T12:59:00Z", "2020-06-01T12:59:00Z")] // 20:59 WITA: still allowed
    [InlineData("2020-06-01T13:00:00Z", "2020-06-01T23:00:00Z")] // 21:00 WITA → 07:00 next morning
    [InlineData("2020-06-01T16:30:00Z", "2020-06-01T23:00:00Z")] // 00:30 WITA → 07:00 the same morning
    [InlineData("2020-06-01T23:00:00Z", "2020-06-01T23:00:00Z")] // 07:00 WITA: allowed again
    public void Quiet_hours_hold_messages_until_seven_in_the_programme_time_zone(string now, string expected)
    {
        var allowed = QuietHours.Default.NextAllowed(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), _makassar);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), allowed);
    }

    [Theory]
    [InlineData("0812-3456-7890", "+6281234567890")]
    [InlineData("+62 812 3456 7890", "+6281234567890")]
    [InlineData("081234567890", "+6281234567890")]
    [InlineData("12", null)]
    [InlineData("not a number", null)]
    public void Phone_numbers_are_stored_in_e164(string raw, string? expected) =>
        Assert.Equal(expected, PhoneNumberRules.ToE164(raw));

    [Fact]
    public void Channel_plan_starts_with_the_preference_then_whatsapp_then_sms_and_skips_what_cannot_reach()
    {
        var all = new HashSet<ChannelKind> { ChannelKind.WhatsApp, ChannelKind.Sms, ChannelKind.Email, ChannelKind.WebPush };
        Assert.Equal([ChannelKind.WhatsApp, ChannelKind.Sms], ChannelPlan.For("+6281234567890", "", false, ChannelKind.None, all));
        Assert.Equal([ChannelKind.Email, ChannelKind.WhatsApp, ChannelKind.Sms], ChannelPlan.For("+6281234567890", "a@b.example", false, ChannelKind.Email, all));
        Assert.Equal([ChannelKind.Sms], ChannelPlan.For("+6281234567890", "", false, ChannelKind.None, new HashSet<ChannelKind> { ChannelKind.Sms }));
        Assert.Empty(ChannelPlan.For("", "", false, ChannelKind.WebPush, all));
    }

    private static ContactInfo Contact(string subject, MessageLanguage language = MessageLanguage.Indonesian, bool minor = false, string guardian = "", bool consent = false) =>
        new(subject, subject.ToUpperInvariant(), "+6281234567890", "", language, ChannelKind.None, false, minor, guardian, consent, "", "", "");

    [Fact]
    public void A_minor_behind_schedule_is_told_with_the_guardian_each_in_their_language()
    {
        var contacts = new Dictionary<string, ContactInfo>
        {
            ["t1"] = Contact("t1", minor: true, guardian: "g1", consent: true),
            ["g1"] = Contact("g1", MessageLanguage.English),
        };
        var plan = EventPlanner.Plan(new BehindScheduleEvent("t1", "2020-06-03", 2, 5), contacts.GetValueOrDefault,
            DateTimeOffset.Parse("2020-06-03T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture), _makassar, QuietHours.Default);
        Assert.Equal(["t1", "g1"], plan.Select(p => p.Subject));
        Assert.Equal([MessageLanguage.Indonesian, MessageLanguage.English], plan.Select(p => p.Language));
        Assert.StartsWith("Bimtek: T1 tertinggal dari jadwal pada 2020-06-03: baru 2 dari 5 unit.",
            Templates.Render(plan[0].Template, plan[0].Language, plan[0].Arguments, 1), StringComparison.Ordinal);
        Assert.StartsWith("Bimtek: T1 is behind schedule on 2020-06-03: 2 of 5 units made.",
            Templates.Render(plan[1].Template, plan[1].Language, plan[1].Arguments, 1), StringComparison.Ordinal);
    }

    [Fact]
    public void Kit_for_a_minor_without_consent_goes_to_the_guardian_too_and_an_adult_alone()
    {
        var contacts = new Dictionary<string, ContactInfo>
        {
            ["t1"] = Contact("t1", minor: true, guardian: "g1", consent: false),
            ["t2"] = Contact("t2"),
        };
        var now = DateTimeOffset.Parse("2020-06-03T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["t1", "g1"], EventPlanner.Plan(new KitDispatchedEvent("k1", "t1", "APD"), contacts.GetValueOrDefault, now, _makassar, QuietHours.Default).Select(p => p.Subject));
        Assert.Equal(["t2"], EventPlanner.Plan(new KitDispatchedEvent("k2", "t2", "APD"), contacts.GetValueOrDefault, now, _makassar, QuietHours.Default).Select(p => p.Subject));
    }

    [Fact]
    public void Home_visit_text_has_day_time_and_village_in_the_programme_time_zone_and_the_reason_of_a_move_or_cancellation()
    {
        var contacts = new Dictionary<string, ContactInfo> { ["t1"] = Contact("t1"), ["i1"] = Contact("i1", MessageLanguage.English) };
        var at = DateTimeOffset.Parse("2020-05-19T01:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var now = DateTimeOffset.Parse("2020-05-18T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        List<string> Texts(VisitChange change, string reason) => EventPlanner.Plan(
                new HomeVisitEvent("v1", change, "t1", "i1", at, "Sungai Karias", change == VisitChange.Moved ? 1 : 0, reason),
                contacts.GetValueOrDefault, now, _makassar, QuietHours.Default)
            .Select(p => Templates.Render(p.Template, p.Language, p.Arguments, 1)).ToList();

        Assert.Equal([
            "Bimtek: kunjungan rumah untuk T1 dipindah ke Selasa, 19 Mei 2020, 09.30 di Sungai Karias. Alasan: instruktur sakit",
            "Bimtek: the home visit for T1 has moved to Tuesday 19 May 2020, 09:30 in Sungai Karias. Reason: instruktur sakit",
        ], Texts(VisitChange.Moved, "instruktur sakit"));
        Assert.Equal([
            "Bimtek: kunjungan rumah untuk T1 pada Selasa, 19 Mei 2020, 09.30 di Sungai Karias dibatalkan. Alasan: peserta sudah bisa",
            "Bimtek: the home visit for T1 on Tuesday 19 May 2020, 09:30 in Sungai Karias is cancelled. Reason: peserta sudah bisa",
        ], Texts(VisitChange.Cancelled, "peserta sudah bisa"));
        // An event written before senders gave the reason: the sentence without it.
        Assert.Equal("Bimtek: kunjungan rumah untuk T1 dipindah ke Selasa, 19 Mei 2020, 09.30 di Sungai Karias.", Texts(VisitChange.Moved, "")[0]);
        Assert.Equal("Bimtek: a home visit for T1 is booked for Tuesday 19 May 2020, 09:30 in Sungai Karias.", Texts(VisitChange.Booked, "ignored")[1]);
    }

    [Fact]
    public void Moving_a_visit_back_to_an_earlier_time_is_a_new_fact_and_the_same_move_again_is_not()
    {
        var at = DateTimeOffset.Parse("2020-05-19T01:30:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var now = DateTimeOffset.Parse("2020-05-18T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        string Key(VisitChange change, DateTimeOffset when, int moves) =>
            EventPlanner.Plan(new HomeVisitEvent("v1", change, "t1", "", when, "Paliwara", moves), _ => null, now, _makassar, QuietHours.Default).Single().DedupeKey;
        var booked = Key(VisitChange.Booked, at, 0);
        var firstMove = Key(VisitChange.Moved, at.AddHours(4), 1);
        var back = Key(VisitChange.Moved, at, 2);
        var thereAgain = Key(VisitChange.Moved, at.AddHours(4), 3);
        Assert.Equal(4, new[] { booked, firstMove, back, thereAgain }.Distinct().Count());
        Assert.Equal(firstMove, Key(VisitChange.Moved, at.AddHours(4), 1));
        Assert.Equal("visit:v1:Booked:" + at.ToUnixTimeMilliseconds() + ":t1", booked);
    }

    [Fact]
    public void A_contact_from_participants_keeps_a_valid_phone_in_E164_and_names_the_guardian_of_a_trainee()
    {
        var (person, guardian) = ContactSync.From(new PersonContactEvent("p1", " Rina ", "0812-3456-7890", "rina@example.org", MessageLanguage.English,
            Minor: true, GuardianName: "Ibu Sari", GuardianPhone: "12", GuardianConsent: true, Version: 3));
        Assert.Equal(new SourcedContact("p1", "Rina", "+6281234567890", "rina@example.org", MessageLanguage.English, true, "guardian:p1", true, 3), person);
        Assert.Equal(new SourcedContact("guardian:p1", "Ibu Sari", "", "", MessageLanguage.English, false, "", false, 3), guardian);
        var (adult, none) = ContactSync.From(new PersonContactEvent("p2", "Budi", "not a phone", "no", MessageLanguage.Indonesian, false, "", "", false, 1));
        Assert.Equal(("", "", ""), (adult.Phone, adult.Email, adult.GuardianSubject));
        Assert.Null(none);
    }

    [Fact]
    public void Ppe_waiting_is_one_message_per_expert_per_hour_sent_when_the_hour_ends()
    {
        var now = DateTimeOffset.Parse("2020-06-10T02:10:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var a = EventPlanner.Plan(new AwaitingSignOffEvent("i1", ["he1", "he2", "he1"], 9), _ => null, now, _makassar, QuietHours.Default);
        var b = EventPlanner.Plan(new AwaitingSignOffEvent("i2", ["he1"], 8), _ => null, now.AddMinutes(40), _makassar, QuietHours.Default);
        var c = EventPlanner.Plan(new AwaitingSignOffEvent("i3", ["he1"], 8), _ => null, now.AddMinutes(55), _makassar, QuietHours.Default);
        Assert.Equal(["he1", "he2"], a.Select(p => p.Subject));
        Assert.Equal(a[0].DedupeKey, b[0].DedupeKey);
        Assert.NotEqual(a[0].DedupeKey, c[0].DedupeKey);
        Assert.Equal(DateTimeOffset.Parse("2020-06-10T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture), a[0].NotBefore);
        Assert.Equal("i1", a[0].BatchItem);
    }

    [Fact]
    public void Codes_are_not_held_by_quiet_hours_and_their_keys_do_not_carry_the_code()
    {
        var night = DateTimeOffset.Parse("2020-06-10T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture); // 23:00 WITA
        var plan = EventPlanner.Plan(new SignInCodeEvent("t1", "4827-1936", "http://x/account/code", night.AddMinutes(15), "081234567890"),
            _ => null, night, _makassar, QuietHours.Default);
        Assert.Equal(night, Assert.Single(plan).NotBefore);
        Assert.DoesNotContain("4827", plan[0].DedupeKey, StringComparison.Ordinal);
        Assert.True(plan[0].Secret);
        var behind = EventPlanner.Plan(new BehindScheduleEvent("t1", "2020-06-10", 1, 3), _ => null, night, _makassar, QuietHours.Default);
        Assert.Equal(DateTimeOffset.Parse("2020-06-10T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture), Assert.Single(behind).NotBefore);
    }
}
