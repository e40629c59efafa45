using Bimtek.Identity.V1;
using Bimtek.Notifications.V1;
using Bimtek.Testing.Hosting;

namespace Bimtek.Notifications.Tests;

/// <summary>Identity's sender interface with real channels: a trainee's sign-in code reaches WhatsApp, a staff invitation e-mail, through notifications.</summary>
[Trait("Category", "Integration")]
public sealed class IdentitySenderTests
{
    [Theory, BothDatabases]
    public async Task A_code_issued_with_send_reaches_the_trainee_on_whatsapp_in_their_language(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-identity");
        await notifications.SetContactAsync("t-maya", phone: "0812-3456-7801", language: Language.English);
        using var identityDatabase = await TestDatabase.CreateAsync(db, "identity-notify");
        var keys = Path.Combine(Path.GetTempPath(), "bimtek-tests", "identity-keys-" + Guid.NewGuid().ToString("N"));
        await using var identity = new ServiceHost<Bimtek.Identity.Program>(identityDatabase,
            new Downstream().Route("notifications", () => notifications.Host.CreateHandler()),
            new Dictionary<string, string?>
            {
                ["Identity:Issuer"] = "http://localhost/",
                ["Identity:KeyDirectory"] = keys,
                ["Identity:Dashboard:RedirectUris:0"] = "http://dashboard.test/signin-callback.html",
                ["Identity:SendThroughNotifications"] = "true",
            });
        await identity.Client<IdentityInternalService.IdentityInternalServiceClient>(TestTokens.Service("participants")).ApplyAccountChangeAsync(new ApplyAccountChangeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Subject = "t-maya",
            Role = AccountRole.Trainee,
            Name = "Maya",
            Phone = "0812-3456-7801",
            Active = true,
        });
        var card = await identity.Client<IdentityService.IdentityServiceClient>(TestTokens.Operator()).IssueSignInCodeAsync(new IssueSignInCodeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Subject = "t-maya",
            Send = true,
        });

        var sent = await notifications.EventuallyStatusAsync("t-maya", DeliveryStatus.Sent);
        var request = Assert.Single(notifications.WhatsApp.Requests);
        Assert.Contains($"your sign-in code is {card.Code}", request.Text, StringComparison.Ordinal);
        Assert.Contains(card.SignInUrl.Replace("&", "\\u0026", StringComparison.Ordinal), request.Text, StringComparison.Ordinal);
        Assert.Contains("\"to\":\"6281234567801\"", request.Text, StringComparison.Ordinal);
        Assert.Equal("sign_in_code", sent.Template);
        Assert.DoesNotContain(card.Code, sent.Text, StringComparison.Ordinal);
        await identity.DisposeAsync();
        Directory.Delete(keys, recursive: true);
    }

    [Theory, BothDatabases]
    public async Task A_staff_invitation_reaches_the_address_identity_knows_by_email_with_its_link(DatabaseKind db)
    {
        await using var notifications = await NotificationsHarness.StartAsync(db, "notify-invitation");
        using var identityDatabase = await TestDatabase.CreateAsync(db, "identity-invite");
        var keys = Path.Combine(Path.GetTempPath(), "bimtek-tests", "identity-keys-" + Guid.NewGuid().ToString("N"));
        await using var identity = new ServiceHost<Bimtek.Identity.Program>(identityDatabase,
            new Downstream().Route("notifications", () => notifications.Host.CreateHandler()),
            new Dictionary<string, string?>
            {
                ["Identity:Issuer"] = "http://localhost/",
                ["Identity:KeyDirectory"] = keys,
                ["Identity:Dashboard:RedirectUris:0"] = "http://dashboard.test/signin-callback.html",
                ["Identity:SendThroughNotifications"] = "true",
            });
        // No contact in notifications: the invitation goes to the e-mail address the account carries.
        await identity.Client<IdentityInternalService.IdentityInternalServiceClient>(TestTokens.Service("participants")).ApplyAccountChangeAsync(new ApplyAccountChangeRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Subject = "he-nur",
            Role = AccountRole.HealthExpert,
            Name = "dr. Nur",
            Email = "nur@puskesmas-amuntai.example",
            Active = true,
        });
        var invitation = await identity.Client<IdentityService.IdentityServiceClient>(TestTokens.Operator()).IssueInvitationAsync(new IssueInvitationRequest
        {
            RequestId = NotificationsHarness.NewId(),
            Subject = "he-nur",
        });

        var sent = await notifications.EventuallyStatusAsync("he-nur", DeliveryStatus.Sent);
        Assert.Equal("invitation", sent.Template);
        Assert.DoesNotContain(invitation.Url, sent.Text, StringComparison.Ordinal);
        var mail = Assert.Single(notifications.Smtp.Mails);
        Assert.Equal(["nur@puskesmas-amuntai.example"], mail.To);
        Assert.Contains(invitation.Url, mail.Data.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(notifications.WhatsApp.Requests);
        await identity.DisposeAsync();
        Directory.Delete(keys, recursive: true);
    }
}
